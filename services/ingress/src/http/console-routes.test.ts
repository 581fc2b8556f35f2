import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleRoutes, defaultConsoleDir } from './console-routes.js';

const dist = mkdtempSync(join(tmpdir(), 'aigw-console-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(dist, 'assets', 'index-B1a2c3D4.js'), 'console.log(1)');
writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const appFor = (dir: string) => express().use(consoleRoutes(dir)).use((_req, res) => res.status(404).json({ error: 'next' }));

describe('console routes', () => {
  const app = appFor(dist);

  it('serves index.html for the app and its client-side routes, never cached', async () => {
    for (const path of ['/ui/', '/ui/keys', '/ui/logs/019a-request']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.text).toContain('id="root"');
    }
    const bare = await request(app).get('/ui');
    expect(bare.status).toBe(301);
    expect(bare.headers['location']).toBe('/ui/');
  });

  it('caches hashed assets for a year, other files not, and answers a missing asset with 404 JSON', async () => {
    const asset = await request(app).get('/ui/assets/index-B1a2c3D4.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(app).get('/ui/favicon.svg')).headers['cache-control']).toBe('no-cache');
    const missing = await request(app).get('/ui/assets/index-OLDHASH1.js');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('/assets/index-OLDHASH1.js');
  });

  it('leaves other paths alone, and says when the console is not built', async () => {
    expect((await request(app).get('/uix')).body).toEqual({ error: 'next' });
    expect((await request(app).get('/api/v1/keys')).body).toEqual({ error: 'next' });
    const unbuilt = await request(appFor(join(dist, 'nothing'))).get('/ui/');
    expect(unbuilt.status).toBe(404);
    expect(unbuilt.body.error.message).toMatch(/not built/);
  });

  it('finds console/dist at the repository root by default', () => {
    expect(defaultConsoleDir()).toBe(join(import.meta.dirname, '..', '..', '..', '..', 'console', 'dist'));
  });
});
