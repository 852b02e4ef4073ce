/**
 * The package's one JavaScript module: projenrc/shrink-lib.ts bundles the compiled library from this entry into
 * lib/private/library.js, and lib/index.js and lib/cli.js become one-line doors into it. The public API is
 * `library` (src/index.ts, exactly as jsii declares it); `cliMain` is the command line.
 */
import * as library from '../index';

export { library };
export { main as cliMain } from '../cli';
