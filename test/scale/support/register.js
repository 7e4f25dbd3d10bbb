// Require hook for the scale-test child processes: the benchmarks' hook (bench/lib/register.js)
// transpiles the repo's TypeScript on the fly with the installed `typescript`, cached by content
// hash; the scale tests need exactly that.
'use strict';
require('../../../bench/lib/register.js');
