export { seedDemoData, type SeedOptions, type SeedResult } from './seed-demo-data';
