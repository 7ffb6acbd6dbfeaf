import { load } from './http.js';
import { forkChild, makeToken, stop } from './common.js';
const { child, ready } = forkChild<{ port: number }>('./exp-server.ts', []);
const { port } = await ready;
const base = `http://127.0.0.1:${port}`;
const authorization = `Bearer ${makeToken('HS256', 3600)}`;
const paths = ['/ping', '/protected', '/noop', '/ping2'];
for (const p of paths) await load(base + p, authorization, 2);
const res: Record<string, { rps: number[]; cpu: number[] }> = {};
for (let r = 0; r < 8; r++) {
  const order = paths.map((_, i) => paths[(i + r) % paths.length]!);
  for (const p of [...order, ...[...order].reverse()]) {
    const x = await load(base + p, authorization, 1, {}, child);
    (res[p] ??= { rps: [], cpu: [] }).rps.push(x.rps); res[p].cpu.push(x.cpu);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
for (const p of paths) console.log(p, 'rps', med(res[p]!.rps).toFixed(0), 'cpu µs', med(res[p]!.cpu).toFixed(1));
await stop(child);
process.exit(0);
