export * from './catalog';
export * from './capabilities';
export * from './methods/index';
export * from './events';
export * from './types';
export * from './bridge';
export * from './access-types';
export * from './camera-types';
