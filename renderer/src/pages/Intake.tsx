// 受理登记: applicant, service item, materials checklist (一次性告知 / 容缺受理), handling mode and date.
// The whole form autosaves as a draft, so nothing typed is lost to a power cut or a lock.
// This file wires the sections in pages/intake/ together: the state they share, saving and starting over.
import { ClearOutlined, ExclamationCircleOutlined, FileDoneOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Tag } from 'antd';
import { useMemo, useRef, useState } from 'react';
import type { ApiInput } from '../../../api/contract';
import type { Applicant, CaseDetail, CatalogItem } from '../../../domain/records';
import { parseResidentId } from '../../../domain/idNumber';
import { api } from '../api';
import { PageTitle } from '../components/PageTitle';
import { formKeyDown, useCtrlEnter } from '../components/keyboard';
import { chinaToday } from '../format';
import { feedback, showError } from '../notify';
import { navigate } from '../components/routing';
import { useSession } from '../session';
import { ApplicantSection } from './intake/ApplicantSection';
import { HandlingSection } from './intake/HandlingSection';
import { IntakeResult } from './intake/IntakeResult';
import { MaterialsSection } from './intake/MaterialsSection';
import {
  buildCreateCaseInput,
  checkMaterials,
  defaultRefuseReason,
  emptyValues,
  materialsFor,
  receivedStateFor,
  type IntakeValues,
  type MaterialValue,
} from './intake/model';
import { RefuseModal } from './intake/RefuseModal';
import { NameConflictModal, type NameConflict } from './intake/NameConflictModal';
import { namesDiffer, type NameChoice } from '../../../domain/applicantName';
import { useApplicantLookup } from './intake/useApplicantLookup';
import { useIntakeDraft } from './intake/useIntakeDraft';

export type { IntakeValues } from './intake/model';

export function IntakePage({ visitId: visitIdProp, restore }: { visitId?: string; restore?: boolean }) {
  const { agent } = useSession();
  const today = chinaToday();
  const [form] = Form.useForm<IntakeValues>();
  const [item, setItem] = useState<CatalogItem | null>(null);
  const [known, setKnown] = useState<Applicant | null>(null);
  const [visitId, setVisitId] = useState<string | undefined>(visitIdProp);
  const [visitNote, setVisitNote] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<CaseDetail | null>(null);
  const [refuseOpen, setRefuseOpen] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [nameConflict, setNameConflict] = useState<(NameConflict & { input: ApiInput<'createCase'> }) | null>(null);
  const [visitPhoneMasked, setVisitPhoneMasked] = useState('');
  const wrapRef = useRef<HTMLDivElement>(null);

  const draft = useIntakeDraft({
    form,
    agentId: agent.id,
    today,
    restore,
    formKey,
    context: { item, visitId, known },
    onRestore: (ctx) => {
      setItem(ctx.item);
      setKnown(ctx.known);
      setVisitId(ctx.visitId);
    },
    // Prefill from a visit when converting one.
    onFresh: async (isCancelled) => {
      if (!visitIdProp) return;
      try {
        const v = await api.getVisit({ id: visitIdProp });
        if (isCancelled()) return;
        form.setFieldsValue({ name: v.visitorName, note: `来访登记转入：${v.summary}`.slice(0, 500) });
        setVisitPhoneMasked(v.visitorPhoneMasked);
        setVisitNote(
          `由 ${v.visitDate} 的来访登记转入（来访人 ${v.visitorName}${v.visitorPhoneMasked ? `，电话 ${v.visitorPhoneMasked}` : ''}）。保存后来访记录会关联此件。`,
        );
      } catch (e) {
        showError(e, '读取来访登记失败');
      }
    },
  });
  const persist = draft.persist;

  const values = Form.useWatch([], { form, preserve: true }) as IntakeValues | undefined;
  const kind = values?.kind ?? 'person';
  const materials = useMemo(() => values?.materials ?? [], [values?.materials]);
  const intakeDate = values?.intakeDate ?? today;

  const idInfo = useMemo(() => {
    const raw = values?.idNumber ?? '';
    if (!raw.trim()) return null;
    return parseResidentId(raw, { today });
  }, [values?.idNumber, today]);

  const forgetLookup = useApplicantLookup({ form, kind, idInfo, known, setKnown, onFilled: persist });

  function chooseItem(it: CatalogItem | null) {
    setItem(it);
    draft.contextRef.current = { ...draft.contextRef.current, item: it };
    form.setFieldsValue({ itemCode: it?.code, materials: materialsFor(it) });
    persist();
  }

  const { blocking, notReceived, unset } = checkMaterials(materials);

  function fillRest() {
    const list = (form.getFieldValue('materials') as MaterialValue[]) ?? [];
    form.setFieldsValue({
      materials: list.map((m) => (m.state ? m : { ...m, state: receivedStateFor(m.form) })),
    });
    persist();
  }

  async function send(input: ApiInput<'createCase'>) {
    // A known person typed with another name: ask which is true before anything is saved.
    if (known && !input.applicant.nameChoice && namesDiffer(known.name, input.applicant.name)) {
      setNameConflict({ stored: known.name, typed: input.applicant.name, kind: known.kind, input });
      return;
    }
    setSaving(true);
    try {
      const c = visitId ? await api.convertVisitToCase({ ...input, visitId }) : await api.createCase(input);
      await draft.discard();
      setResult(c);
      window.scrollTo(0, 0);
    } catch (e) {
      showError(e, '保存失败');
    } finally {
      setSaving(false);
    }
  }

  async function onFinish(v: IntakeValues) {
    if (!item) {
      showError(new Error('请选择办理事项'));
      return;
    }
    if (unset.length > 0) {
      showError(new Error(`还有 ${unset.length} 项材料未核对，请逐项选择收取情况`));
      return;
    }
    if (blocking.length > 0) {
      showError(new Error('材料不全不能受理：请一次性告知申请人补齐，或选择“不予受理”'));
      return;
    }
    await send(buildCreateCaseInput(v, known, today));
  }

  async function refuse(reason: string) {
    try {
      await form.validateFields(['kind', 'idNumber', 'creditCode', 'name', 'phone', 'itemCode']);
    } catch {
      setRefuseOpen(false);
      showError(new Error('不予受理也需要登记申请人和事项，请先补全标红的内容'));
      return;
    }
    setRefuseOpen(false);
    await send(buildCreateCaseInput(form.getFieldsValue(true) as IntakeValues, known, today, reason));
  }

  function clearForm() {
    setItem(null);
    setKnown(null);
    forgetLookup();
    form.resetFields();
    form.setFieldsValue(emptyValues(today));
  }

  function resetForNext() {
    void draft.discard();
    setResult(null);
    setVisitId(undefined);
    setVisitNote(null);
    clearForm();
    if (visitIdProp) navigate('/intake', { replace: true });
    else setFormKey((k) => k + 1);
    window.setTimeout(() => wrapRef.current?.querySelector<HTMLElement>('input:not([type=radio])')?.focus(), 50);
  }

  function clearAll() {
    feedback().modal.confirm({
      title: '清空重填？',
      content: '已填写的内容将被清除，且不保留草稿。',
      okText: '清空',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => {
        void draft.discard();
        clearForm();
      },
    });
  }

  useCtrlEnter(() => {
    if (!result && !saving) form.submit();
  });

  if (result) return <IntakeResult c={result} onNext={resetForNext} />;

  return (
    <div ref={wrapRef} onKeyDown={formKeyDown()}>
      <PageTitle title={visitId ? '受理登记（由来访转入）' : '受理登记'} extra={<Button icon={<ClearOutlined />} onClick={clearAll}>清空重填</Button>}>
        <span className="text-muted">一事一记 · 自动保存草稿 · Enter 跳到下一项，Ctrl+Enter 保存</span>
      </PageTitle>
      {visitNote && <Alert type="info" showIcon message={visitNote} style={{ marginBottom: 12 }} />}
      {visitId && !visitNote && <Alert type="info" showIcon message="此登记由来访登记转入，保存后来访记录会关联此件。" style={{ marginBottom: 12 }} />}

      <Form<IntakeValues>
        key={formKey}
        form={form}
        layout="vertical"
        initialValues={emptyValues(today)}
        onValuesChange={persist}
        onFinish={(v) => void onFinish({ ...(form.getFieldsValue(true) as IntakeValues), ...v })}
        onFinishFailed={() => showError(new Error('还有内容没有填好，请查看标红的项目'))}
        scrollToFirstError={{ block: 'center' }}
      >
        <ApplicantSection kind={kind} known={known} idInfo={idInfo} today={today} visitPhoneMasked={visitId ? visitPhoneMasked : ''} />
        <MaterialsSection
          item={item}
          materials={materials}
          intakeDate={intakeDate}
          unsetCount={unset.length}
          blocking={blocking}
          notReceived={notReceived}
          onChooseItem={chooseItem}
          onFillRest={fillRest}
          onRefuse={() => setRefuseOpen(true)}
        />
        <HandlingSection intakeDate={intakeDate} today={today} />

        <div className="sticky-actions">
          <Button type="primary" size="large" htmlType="submit" loading={saving} icon={<FileDoneOutlined />} data-testid="save-intake">
            保存受理
          </Button>
          <Button size="large" danger icon={<StopOutlined />} onClick={() => setRefuseOpen(true)} disabled={saving}>
            不予受理
          </Button>
          <span className="text-muted">Ctrl+Enter 保存 · 草稿已自动保存</span>
          {item && unset.length > 0 && <Tag color="orange">还有 {unset.length} 项材料未核对</Tag>}
          {blocking.length > 0 && (
            <Tag color="red" icon={<ExclamationCircleOutlined />}>
              材料不全
            </Tag>
          )}
        </div>
      </Form>

      <NameConflictModal
        conflict={nameConflict}
        onCancel={() => setNameConflict(null)}
        onChoose={(choice: NameChoice) => {
          const input = nameConflict!.input;
          setNameConflict(null);
          if (choice === 'keep') form.setFieldsValue({ name: known?.name ?? input.applicant.name });
          void send({ ...input, applicant: { ...input.applicant, nameChoice: choice } });
        }}
      />
      <RefuseModal
        open={refuseOpen}
        defaultReason={defaultRefuseReason(notReceived)}
        onCancel={() => setRefuseOpen(false)}
        onOk={(r) => void refuse(r)}
      />
    </div>
  );
}
