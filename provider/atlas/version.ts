/** This package's version, sent in the user agent (kept equal to package.json by a test). */
export const VERSION = "0.1.0";
