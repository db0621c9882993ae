/**
 * Keeps one core busy for a bounded time (the "second process" of the loaded scheduling run), then
 * exits on its own.
 *
 *   node busy.cjs <seconds>
 */
const seconds = Math.min(Number(process.argv[2] ?? '60'), 1800);
const end = Date.now() + seconds * 1000;
let x = 0;
while (Date.now() < end) {
  for (let i = 0; i < 100_000; i++) x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
}
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ x })}\n`);
