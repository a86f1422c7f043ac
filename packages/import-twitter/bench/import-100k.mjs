// Imports a generated 100,000-tweet archive and prints the time taken and the peak memory.
// Run after building: `npx tsc -p packages/import-twitter && node packages/import-twitter/bench/import-100k.mjs`
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { importTwitterArchive, formatSummary } from '../dist/index.js';

const COUNT = Number(process.env.TWEETS ?? 100_000);
const root = join(tmpdir(), 'signet-bench-twitter');
const archive = join(root, 'archive');
const into = join(root, 'site', 'content', 'notes');
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const createdAt = (d) =>
  `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, '0')} ` +
  `${d.toISOString().slice(11, 19)} +0000 ${d.getUTCFullYear()}`;

/** Entity indices count code points, as in real archives. */
const at = (text, token) => {
  const start = Array.from(text.slice(0, text.indexOf(token))).length;
  return [String(start), String(start + token.length)];
};

async function generate() {
  await rm(root, { recursive: true, force: true });
  await mkdir(join(archive, 'data', 'tweets_media'), { recursive: true });
  await writeFile(
    join(archive, 'data', 'account.js'),
    'window.YTD.account.part0 = [{"account":{"username":"bench_user","accountId":"42","accountDisplayName":"Bench User"}}]',
  );
  const out = createWriteStream(join(archive, 'data', 'tweets.js'));
  out.write('window.YTD.tweets.part0 = [');
  const start = Date.UTC(2010, 0, 1);
  for (let i = 0; i < COUNT; i++) {
    const id = String(1_000_000_000_000_000_000n + BigInt(i));
    const text = `Tweet ${i} about #topic${i % 50} with @friend${i % 7} &amp; a link 🎉 https://t.co/l${i}`;
    const tweet = {
      id_str: id,
      created_at: createdAt(new Date(start + i * 3_600_000)),
      full_text: i % 20 === 0 ? `${text} https://t.co/m${i}` : text,
      favorite_count: String(i % 97),
      retweet_count: String(i % 13),
      entities: {
        hashtags: [{ text: `topic${i % 50}`, indices: [String(text.indexOf('#')), String(text.indexOf('#') + 6 + String(i % 50).length)] }],
        user_mentions: [{ screen_name: `friend${i % 7}`, indices: [String(text.indexOf('@')), String(text.indexOf('@') + 8)] }],
        urls: [{ url: `https://t.co/l${i}`, expanded_url: `https://example.org/articles/${i}`, display_url: `example.org/articles/${i}`, indices: at(text, `https://t.co/l${i}`) }],
      },
    };
    if (i % 20 === 0) {
      tweet.extended_entities = { media: [{ url: `https://t.co/m${i}`, media_url_https: `https://pbs.twimg.com/media/P${i}.png`, type: 'photo', indices: at(tweet.full_text, `https://t.co/m${i}`) }] };
      await writeFile(join(archive, 'data', 'tweets_media', `${id}-P${i}.png`), PNG);
    }
    // Every tenth tweet continues the previous one as a thread; every 25th is a reply to someone else.
    if (i % 10 === 9) Object.assign(tweet, { in_reply_to_status_id_str: String(BigInt(id) - 1n), in_reply_to_screen_name: 'bench_user', in_reply_to_user_id_str: '42' });
    else if (i % 25 === 0) Object.assign(tweet, { in_reply_to_status_id_str: '1', in_reply_to_screen_name: 'someone' });
    if (!out.write(`${i === 0 ? '' : ','}\n  {"tweet" : ${JSON.stringify(tweet)}}`)) await once(out, 'drain');
  }
  out.end('\n]\n');
  await once(out, 'finish');
}

await generate();
const run = async (label) => {
  const started = performance.now();
  const summary = await importTwitterArchive({ source: archive, into });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${seconds.toFixed(2)} s`);
  return summary;
};
const summary = await run(`import of ${COUNT.toLocaleString('en')} tweets`);
console.log(formatSummary(summary));
await run('second import (nothing to do)');
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
if (!process.env.KEEP) await rm(root, { recursive: true, force: true });
