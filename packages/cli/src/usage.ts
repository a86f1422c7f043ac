/** How each command is called: shown by `signet --help` and in usage errors, without loading the command. */
export const USAGE = {
  build: 'signet build [--drafts] [--future] [--out DIR] [--root DIR]',
  dev: 'signet dev [--port 4000] [--host 127.0.0.1] [--drafts] [--future] [--root DIR]',
  init: 'signet init [folder] [--yes] [--title T] [--url U] [--author NAME]',
  keys: 'signet keys generate | rotate | revoke ID [--at DATE] | list   [--root DIR]',
  new: 'signet new "Title" [--root DIR]',
  verify: 'signet verify <url | file | folder> [--json] [--domain HOST] [--allow-http-loopback]',
  import: 'signet import twitter <archive.zip | folder> [--into content/notes] [--include-replies] [--include-retweets] [--since DATE] [--allow-missing-media] [--root DIR]',
} as const;
