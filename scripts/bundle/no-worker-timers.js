// Stands in for the worker-timers package inside the skill's Lambda bundle. mqtt chooses worker timers
// only in a browser (mqtt/build/lib/get-timer.js, timer variant 'auto'); on Lambda it uses Node's own
// setInterval. The real package is about 15 KB of the skill's 550 KB bundle budget. Anything that did
// ask for worker timers would fail loudly here instead of silently running on other timers.
const unavailable = () => {
  throw new Error('worker timers are not available in the skill bundle');
};
module.exports = { setInterval: unavailable, clearInterval: unavailable, setTimeout: unavailable, clearTimeout: unavailable };
