export { openDatabase, migrate, schemaVersion, DATABASE_FILE, type Db } from './database';
export { MIGRATIONS, type Migration } from './migrations';
