// The intake form's values and the pure rules the screen applies to them: the empty form, the
// material checks (一次性告知 / 容缺), and turning the form into the createCase input.
import type { ApiInput } from '../../../../api/contract';
import type { Applicant, CatalogItem } from '../../../../domain/records';
import { parseCreditCode } from '../../../../domain/creditCode';
import { parseResidentId } from '../../../../domain/idNumber';
import { parsePhone } from '../../../../domain/phone';
import { backfillNeedsConfirmation } from '../../../../domain/dateBounds';
import type { CustodyState, HandlingMode, MaterialState } from '../../../../domain/vocab';

export type MaterialValue = {
  name: string;
  form: string;
  copies: number;
  required: boolean;
  deferrable: boolean;
  state?: MaterialState;
  custody: CustodyState;
  promisedDate: string | null;
};

export type IntakeValues = {
  kind: 'person' | 'org';
  idNumber: string;
  creditCode: string;
  /** The agent confirmed a credit code failing the check character against the licence (早期试点代码). */
  creditCodeConfirmed?: boolean;
  name: string;
  phone: string;
  villageGroup: string;
  address: string;
  itemCode?: string;
  handlingMode: HandlingMode;
  intakeDate: string;
  /** 补录 beyond the window: the agent ticked 确认补录. */
  backfillConfirmed?: boolean;
  materials: MaterialValue[];
  note: string;
};

/** What the draft keeps besides the form values: the chosen item, the linked visit and the known applicant. */
export type IntakeContext = { item: CatalogItem | null; visitId?: string; known: Applicant | null };
export type IntakeDraftData = { values: Partial<IntakeValues> } & IntakeContext;

export const HOLDS_ORIGINAL: MaterialState[] = ['original', 'both'];

export function emptyValues(today: string): IntakeValues {
  return {
    kind: 'person',
    idNumber: '',
    creditCode: '',
    name: '',
    phone: '',
    villageGroup: '',
    address: '',
    itemCode: undefined,
    handlingMode: 'proxy',
    intakeDate: today,
    materials: [],
    note: '',
  };
}

/** The state that matches what the catalog asks for (原件 / 复印件 / 原件及复印件). */
export function receivedStateFor(form: string): MaterialState {
  if (form.includes('原件') && form.includes('复印件')) return 'both';
  if (form.includes('复印件')) return 'copy';
  return 'original';
}

/** The checklist rows for a newly chosen item, none of them checked yet. */
export function materialsFor(item: CatalogItem | null): MaterialValue[] {
  return (item?.materials ?? []).map((m) => ({
    name: m.name,
    form: m.form,
    copies: m.copies,
    required: m.required,
    deferrable: m.deferrable,
    state: undefined,
    custody: 'none' as CustodyState,
    promisedDate: null,
  }));
}

export function materialSummary(m: { name: string; form: string; copies: number }): string {
  const extra = [m.form, m.copies > 1 ? `${m.copies}份` : ''].filter(Boolean).join(' ');
  return extra ? `${m.name}（${extra}）` : m.name;
}

/** 一次性告知: required materials that are missing block intake; everything not received is listed once. */
export function checkMaterials(materials: MaterialValue[]) {
  return {
    blocking: materials.filter((m) => m && m.required && m.state === 'missing'),
    notReceived: materials.filter((m) => m && (m.state === 'missing' || m.state === 'deferred')),
    unset: materials.filter((m) => m && !m.state),
  };
}

export function defaultRefuseReason(notReceived: MaterialValue[]): string {
  return notReceived.length > 0
    ? `材料不全：缺少${notReceived.map((m) => m.name).join('、')}。已一次性告知申请人需补齐的全部材料，补齐后可再来办理。`
    : '';
}

export function buildCreateCaseInput(
  v: IntakeValues,
  known: Applicant | null,
  today: string,
  refuseReason?: string,
): ApiInput<'createCase'> {
  const isPerson = v.kind === 'person';
  const id = isPerson && v.idNumber.trim() ? parseResidentId(v.idNumber, { today }) : null;
  const cc = !isPerson && v.creditCode.trim() ? parseCreditCode(v.creditCode, { acceptPilotCode: v.creditCodeConfirmed === true }) : null;
  const phone = v.phone?.trim() ? parsePhone(v.phone) : null;
  return {
    applicant: {
      id: known?.id,
      kind: v.kind,
      name: v.name.trim(),
      idNumber: id?.ok ? id.value.id18 : isPerson ? v.idNumber.trim() || undefined : undefined,
      creditCode: cc?.ok ? cc.value.code : !isPerson ? v.creditCode.trim() || undefined : undefined,
      creditCodeConfirmed: cc?.ok && cc.value.failsCheckChar ? true : undefined,
      phone: phone?.ok ? phone.value.phone : (v.phone ?? '').trim(),
      villageGroup: (v.villageGroup ?? '').trim(),
      address: (v.address ?? '').trim(),
    },
    itemCode: v.itemCode ?? '',
    handlingMode: v.handlingMode,
    intakeDate: v.intakeDate && v.intakeDate !== today ? v.intakeDate : undefined,
    backfillConfirmed: v.intakeDate && backfillNeedsConfirmation(v.intakeDate, today) ? !!v.backfillConfirmed : undefined,
    materials: (v.materials ?? []).map((m) => {
      const state: MaterialState = m.state ?? 'missing';
      return {
        name: m.name,
        form: m.form,
        copies: m.copies,
        required: m.required,
        deferrable: m.deferrable,
        state,
        promisedDate: state === 'deferred' ? m.promisedDate : null,
        custody: HOLDS_ORIGINAL.includes(state) ? m.custody : 'none',
      };
    }),
    note: (v.note ?? '').trim(),
    refuse: refuseReason ? { reason: refuseReason } : undefined,
  };
}
