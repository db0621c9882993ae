/**
 * node-hue-api reads NODE_HUE_API_USE_INSECURE_CONNECTION once, when it is loaded, and otherwise
 * prints a warning on stdout (breaking JSON log lines) for every plain-HTTP connection. The bridge
 * logs its own warning for an http:// WINDDOWN_HUE_URL instead. Imported before node-hue-api.
 */
process.env.NODE_HUE_API_USE_INSECURE_CONNECTION ??= '1';
export {};
