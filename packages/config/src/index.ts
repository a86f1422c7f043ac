export { SignetError, isSignetError, formatError, warningLine, warningLines, type SignetErrorInfo, type WarningLike } from './error.js';
export { CONFIG_FILES, DEFAULTS, type SiteConfig, type Author, type FeedConfig, type MarkdownConfig, type DirsConfig, type ConfigWarning, type EmailConfig, type FundingLink, type FundingManifestConfig, type ImagesConfig, type RepliesPolicy, type WebmentionConfig } from './schema.js';
export { validateConfig, suggest, type Locate } from './validate.js';
export { loadConfig, parseConfig, findConfigFile, requireConfigFile } from './load.js';
export { describeYamlError, yamlToData, type YamlProblem } from './yaml.js';
export { nfc } from './text.js';
export { findContacts } from './contact.js';
export { fundingLinks, paymentUrlProblem, MAX_FUNDING_LABEL } from './support.js';
export { parseDataFile } from './data.js';
