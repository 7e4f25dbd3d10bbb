import { randomBytes } from 'crypto';

/** Mongo-ObjectId-looking ids for records created at run time (24 hex digits, like the service's). */
export const objectIdFromRandom = (): string => randomBytes(12).toString('hex');
