import type { z } from 'zod';
import type { MethodName } from '../catalog';
import { accessMethods } from './access';
import { appMethods } from './app';
import { cameraMethods } from './cameras';
import type { MethodSpec } from './define';
import { historyMethods } from './history';
import { hubMethods } from './hub';
import { jobMethods } from './jobs';
import { keyMethods } from './keys';
import { lanMethods } from './lan';
import { libraryMethods } from './library';
import { maintenanceMethods } from './maintenance';
import { materialMethods } from './materials';
import { materialSyncMethods } from './material-sync';
import { printerMethods } from './printers';
import { serialMethods } from './serial';
import { signInMethods } from './sign-in';
import { snapshotMethods } from './snapshots';
import { costMethods } from './costs';
import { spoolmanMethods } from './spoolman';

export type { MethodSpec } from './define';

/** Every method of the contract; must cover the catalog exactly (checked by `satisfies`). */
export const methods = {
  ...appMethods,
  ...printerMethods,
  ...lanMethods,
  ...serialMethods,
  ...keyMethods,
  ...libraryMethods,
  ...jobMethods,
  ...historyMethods,
  ...materialMethods,
  ...materialSyncMethods,
  ...maintenanceMethods,
  ...spoolmanMethods,
  ...hubMethods,
  ...signInMethods,
  ...accessMethods,
  ...cameraMethods,
  ...snapshotMethods,
  ...costMethods,
} satisfies { [M in MethodName]: MethodSpec<z.ZodType, unknown> };

export type Methods = typeof methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodResult<M extends MethodName> = NonNullable<Methods[M]['result']>;

// Fails to compile if a domain adds a method the catalog does not list (spreads escape `satisfies`).
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const methodsMatchCatalog: Exact<keyof Methods, MethodName> = true;
