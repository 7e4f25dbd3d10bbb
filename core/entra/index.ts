// Public surface of the Microsoft Entra ID part of the core (users and Identity Protection).
export * from './permissions';
export * from './types';
export * from './registry';
export * from './client';
export { ENTRA_WORDING } from './wording';
export { USER_SELECT, isObjectId, userPathValues } from './user-reference';
export type { EntraUser } from './user-reference';
export type { RiskyUser } from './risky-users';
