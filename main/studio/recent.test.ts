// The recent projects list survives restarts, keeps the newest first once each, and never stops the app when
// its file is damaged.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../tests/integration/files';
import { RecentProjects } from './recent';

const tmp = makeTempFolder('recent');
afterAll(() => tmp.remove());

describe('RecentProjects', () => {
  it('lists the newest first, once each, and says which files are gone', async () => {
    const config = join(tmp.dir, 'a');
    const here = join(tmp.dir, 'Here.vaestudio');
    writeFileSync(here, '');
    const recent = new RecentProjects(config);
    await recent.add(join(tmp.dir, 'Gone.vaestudio'));
    await recent.add(here);
    await recent.add(join(tmp.dir, 'Gone.vaestudio'));
    const again = new RecentProjects(config).list();
    expect(again.map((p) => [p.name, p.exists])).toEqual([
      ['Gone', false],
      ['Here', true],
    ]);
  });

  it('keeps both of two quick saves', async () => {
    const recent = new RecentProjects(join(tmp.dir, 'b'));
    await Promise.all([recent.add('/x/One.vaestudio'), recent.add('/x/Two.vaestudio')]);
    expect(recent.list().map((p) => p.name)).toEqual(['Two', 'One']);
  });

  it('ignores a damaged file with a notice and rewrites it on the next save', async () => {
    const config = join(tmp.dir, 'c');
    mkdirSync(config);
    writeFileSync(join(config, 'recent-projects.json'), '{"version":1,"projects":[{"path":');
    const notices: string[] = [];
    const recent = new RecentProjects(config, (line) => notices.push(line));
    expect(recent.list()).toEqual([]);
    expect(notices[0]).toMatch(/damaged and was ignored/);
    await recent.add('/x/New.vaestudio');
    expect(JSON.parse(readFileSync(join(config, 'recent-projects.json'), 'utf8')).projects[0].name).toBe('New');
  });
});
