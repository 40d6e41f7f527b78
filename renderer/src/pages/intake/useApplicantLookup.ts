// Looks the applicant up once a valid ID number is typed, and fills the empty fields from the record.
import type { FormInstance } from 'antd';
import { useCallback, useEffect, useRef } from 'react';
import type { Applicant } from '../../../../domain/records';
import type { parseResidentId } from '../../../../domain/idNumber';
import { api } from '../../api';
import { showError } from '../../notify';
import type { IntakeValues } from './model';

export function useApplicantLookup({
  form,
  kind,
  idInfo,
  known,
  setKnown,
  onFilled,
}: {
  form: FormInstance<IntakeValues>;
  kind: IntakeValues['kind'];
  idInfo: ReturnType<typeof parseResidentId> | null;
  known: Applicant | null;
  setKnown: (a: Applicant | null) => void;
  /** Called after fields were filled from the record (to autosave them). */
  onFilled: () => void;
}) {
  const lastLookup = useRef<string>('');
  const onFilledRef = useRef(onFilled);
  onFilledRef.current = onFilled;

  useEffect(() => {
    if (kind !== 'person' || !idInfo?.ok) {
      if (known) setKnown(null);
      lastLookup.current = '';
      return;
    }
    const id18 = idInfo.value.id18;
    if (lastLookup.current === id18) return;
    lastLookup.current = id18;
    let stale = false;
    api
      .findApplicantByIdNumber({ idNumber: id18 })
      .then((a) => {
        if (stale) return;
        setKnown(a);
        if (a) {
          const cur = form.getFieldsValue(['name', 'villageGroup', 'address']) as Partial<IntakeValues>;
          form.setFieldsValue({
            name: cur.name?.trim() ? cur.name : a.name,
            villageGroup: cur.villageGroup?.trim() ? cur.villageGroup : a.villageGroup,
            address: cur.address?.trim() ? cur.address : a.address,
          });
          onFilledRef.current();
        }
      })
      .catch((e: unknown) => showError(e, '查询申请人档案失败'));
    return () => {
      stale = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [idInfo, kind]);

  /** Forget the last lookup so the same ID number is looked up again (after the form is cleared). */
  return useCallback(() => {
    lastLookup.current = '';
  }, []);
}
