// The generated reference pages must match the code. `npm run docs` rewrites them.
import fs from 'node:fs';
import path from 'node:path';
import { generatedPages } from '../../docs/generator/render';

const root = path.resolve(__dirname, '../..');

test.each(Object.keys(generatedPages))('%s is up to date', (file) => {
  const expected = generatedPages[file]();
  const target = path.join(root, file);
  if (process.env.MDCA_UPDATE_DOCS === '1') {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, expected);
  }
  const actual = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  expect(actual).toBe(expected);
});
