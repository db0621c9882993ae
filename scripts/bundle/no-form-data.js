// Stands in for the form-data package inside the `winddown` bundle. axios (under node-hue-api) loads it
// at start to send multipart bodies, which talking to a Hue bridge never does; the real package drags
// in mime-db, whose table costs the bridge about 4 MB of memory. Anything that did try to send a form
// would fail loudly here instead of sending something else.
module.exports = class FormData {
  constructor() {
    throw new Error('multipart form bodies are not available in the winddown bundle');
  }
};
