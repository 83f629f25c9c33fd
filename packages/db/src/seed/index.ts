export { seedDemoData, type SeedOptions, type SeedResult } from './seed-demo-data';
export { helpArticlesSeed, type SeedArticle } from './help-content';
