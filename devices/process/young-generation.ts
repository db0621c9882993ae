/**
 * Imported first by the `winddown` executables, before any library loads. The bridge runs for months
 * on small machines; loading its libraries makes V8 grow the young generation to several times its
 * start size, and that memory stays resident though a running bridge allocates little: about 3 MB of a
 * Raspberry Pi's RAM (npm run bench: bridge process RSS). Keeping the start size costs a few more, and
 * shorter, scavenges while the program starts.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
