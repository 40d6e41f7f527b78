// The PIN rule of domain/pin.ts as an antd form rule (setup, new agent, PIN change, reset).
import { pinProblem } from '../../../domain/pin';

export const PIN_FORM_RULE = {
  validator: (_: unknown, v: string | undefined) => {
    if (!v) return Promise.resolve();
    const p = pinProblem(v);
    return p ? Promise.reject(new Error(p)) : Promise.resolve();
  },
};

export const PIN_HINT = '至少6位数字，不能全部相同或连续（如 111111、123456）';
