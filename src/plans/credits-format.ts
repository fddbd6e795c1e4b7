/** Credits for people and for HeyGen's integer fields, from thousandths of a credit. */
import { divFloor } from '../shared/money.ts';

/** 600_000n → "600", 1_500n → "1.5", 333n → "0.333". */
export function formatCredits(credit_milli: bigint): string {
  const sign = credit_milli < 0n ? '-' : '';
  const magnitude = credit_milli < 0n ? -credit_milli : credit_milli;
  const fraction = (magnitude % 1_000n).toString().padStart(3, '0').replace(/0+$/, '');
  return `${sign}${magnitude / 1_000n}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Whole credits, rounded down (HeyGen's `remaining` is an integer; a part is not yet a credit). */
export function wholeCredits(credit_milli: bigint): number {
  return Number(divFloor(credit_milli, 1_000n));
}
