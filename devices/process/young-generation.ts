/**
 * Imported first by the `winddown` executables (and the bench's bridge), before any library loads.
 * The bridge runs for months on small machines; loading its libraries makes V8 grow the young generation to several times its
 * start size, and that memory stays resident though a running bridge allocates little: about 3 MB of a
 * Raspberry Pi's RAM (npm run bench: bridge process RSS). Keeping the start size costs a few more, and
 * shorter, scavenges while the program starts.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
// V8's memory reducer runs full collections about 8 and 16 s after a burst of allocation (starting, a
// session message arriving), whenever they land: 10–50 ms in which a breath step due then waits
// (bench/README.md, the scheduling figures). Without it the bridge still peaks under 70 MB.
setFlagsFromString('--no-memory-reducer');
