// Device authorization grant (RFC 8628) state: codes stay pending until the control API approves
// or denies them for a user.
import { randomBytes } from 'crypto';

export interface DeviceCodeState {
  deviceCode: string;
  userCode: string;
  tenantId: string;
  clientId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  status: 'pending' | 'approved' | 'denied' | 'redeemed';
  username?: string;
}

const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export class DeviceCodeStore {
  private byDeviceCode = new Map<string, DeviceCodeState>();
  private newest: DeviceCodeState | undefined;

  create(tenantId: string, clientId: string, scope: string, nowMs: number, lifetimeSeconds: number): DeviceCodeState {
    const bytes = randomBytes(9);
    const userCode = [...bytes].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
    const state: DeviceCodeState = {
      deviceCode: randomBytes(48).toString('base64url'),
      userCode,
      tenantId,
      clientId,
      scope,
      issuedAt: nowMs,
      expiresAt: nowMs + lifetimeSeconds * 1000,
      status: 'pending',
    };
    this.byDeviceCode.set(state.deviceCode, state);
    this.newest = state;
    return state;
  }

  get(deviceCode: string): DeviceCodeState | undefined {
    return this.byDeviceCode.get(deviceCode);
  }

  byUserCode(userCode: string): DeviceCodeState | undefined {
    const wanted = userCode.replace(/[\s-]/g, '').toUpperCase();
    for (const s of this.byDeviceCode.values()) if (s.userCode === wanted) return s;
    return undefined;
  }

  last(): DeviceCodeState | undefined {
    return this.newest;
  }
}
