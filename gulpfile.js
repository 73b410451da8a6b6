// Copies what tsc does not emit (node/credential icons and codex files) into dist,
// keeping the folder layout so `file:x.svg` and `X.node.json` sit beside the built .js files.
const { src, dest, task } = require('gulp');

function copyIconsAndCodex() {
	return src(['nodes/**/*.{png,svg,node.json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:icons', copyIconsAndCodex);
