export * from './catalog';
export * from './capabilities';
export * from './methods';
export * from './events';
export * from './types';
export * from './bridge';
