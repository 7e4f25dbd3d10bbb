import { randomBytes } from 'crypto';

/** Mongo-ObjectId-looking ids for records created at run time (§8: 24-hex). */
export const objectIdFromRandom = (): string => randomBytes(12).toString('hex');
