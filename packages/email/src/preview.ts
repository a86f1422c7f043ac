import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { loadConfig } from '@signet/config';
import { addressLetter, letterSettings, prepareLetter } from './message.js';
import { bare, emailPosts, envelopeOf, findPost } from './posts.js';

export const PREVIEW_DIR = path.join('.signet', 'email', 'preview');

export interface PreviewOptions {
  root: string;
  /** A post's content file, URL path, URL or slug; default the newest post that would be sent. Drafts may be named. */
  post?: string;
  env?: Record<string, string | undefined>;
  now?: Date;
}

/**
 * Writes the letter for the newest (or the named) post as an `.eml` file any mail program opens,
 * addressed to a stand-in reader. Nothing is sent and the subscriber list is not read.
 */
export async function previewPost(options: PreviewOptions): Promise<string[]> {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  const config = loadConfig(options.root);
  const settings = letterSettings(config, env);
  const posts = options.post ? emailPosts(config, now, { drafts: true, future: true, all: true }) : emailPosts(config, now);
  const post = options.post ? findPost(posts, options.post, config) : posts[posts.length - 1];
  if (!post) return [];
  const letter = prepareLetter(settings, post, envelopeOf(post, config));
  const message = addressLetter(settings, letter, { address: 'reader@example.invalid', name: 'A Reader' }, now);
  // The stream transport builds the exact bytes SMTP would carry, DKIM signature included.
  const built = (await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', dkim: settings.dkim }).sendMail(message)) as { message: Buffer };
  const dir = path.join(config.root, PREVIEW_DIR);
  mkdirSync(dir, { recursive: true });
  const name = `${bare(post.entry.urlPath).replace(/[^A-Za-z0-9._-]+/g, '-') || 'post'}.eml`;
  const file = path.join(dir, name);
  writeFileSync(file, built.message);
  return [file];
}
