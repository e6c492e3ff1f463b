// Edit this line: the sync tool copies it into the container, and reload
// restarts the app there.
exports.message = "Hello from a pod!";
