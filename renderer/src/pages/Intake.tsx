// 受理登记: applicant, service item, materials checklist (一次性告知 / 容缺受理), handling mode and date.
// The whole form autosaves as a draft, so nothing typed is lost to a power cut or a lock.
import { CheckCircleOutlined, ClearOutlined, ExclamationCircleOutlined, FileDoneOutlined, PrinterOutlined, StopOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiInput } from '../../../api/contract';
import type { Applicant, CaseDetail, CatalogItem } from '../../../domain/records';
import { parseCreditCode } from '../../../domain/creditCode';
import { parseResidentId } from '../../../domain/idNumber';
import { parsePhone } from '../../../domain/phone';
import {
  CUSTODY_STATES,
  HANDLING_MODES,
  MATERIAL_STATES,
  type CustodyState,
  type HandlingMode,
  type MaterialState,
} from '../../../domain/vocab';
import { api } from '../api';
import { focusFirstField } from '../components/modalFocus';
import { PageTitle } from '../components/PageTitle';
import { HAS_PRINT, PrintButton } from '../components/PrintPreview';
import { printReceipt } from '../reports/printReceipt';
import { formKeyDown, useCtrlEnter } from '../components/keyboard';
import { deleteDraft, draftPrompt, loadDraft, useDraftAutosave } from '../drafts';
import { extraCaseActions } from '../extraRoutes';
import { chinaToday, cnDate } from '../format';
import { feedback, showError } from '../notify';
import { navigate } from '../router';
import { useSession } from '../session';

type MaterialValue = {
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
  name: string;
  phone: string;
  villageGroup: string;
  address: string;
  itemCode?: string;
  handlingMode: HandlingMode;
  intakeDate: string;
  materials: MaterialValue[];
  note: string;
};

type DraftData = { values: Partial<IntakeValues>; item: CatalogItem | null; visitId?: string; known: Applicant | null };

const HOLDS_ORIGINAL: MaterialState[] = ['original', 'both'];

function emptyValues(today: string): IntakeValues {
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
function receivedStateFor(form: string): MaterialState {
  if (form.includes('原件') && form.includes('复印件')) return 'both';
  if (form.includes('复印件')) return 'copy';
  return 'original';
}

const dateProps = {
  getValueProps: (v: string | null | undefined) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

/**
 * A validator that stays quiet while the number is still being typed (fewer than 15 characters and
 * the box has focus) and reports the parser's Chinese message otherwise: live for a wrong check
 * character, on leaving the box for a number that is too short.
 */
function typingAware(inputId: string, parse: (v: string) => { ok: true } | { ok: false; error: string }) {
  return (_: unknown, v: string | undefined) => {
    if (!v?.trim()) return Promise.resolve();
    const typing = document.activeElement?.id === inputId && v.replace(/\s/g, '').length < 15;
    if (typing) return Promise.resolve();
    const r = parse(v);
    return r.ok ? Promise.resolve() : Promise.reject(new Error(r.error));
  };
}

function materialSummary(m: { name: string; form: string; copies: number }): string {
  const extra = [m.form, m.copies > 1 ? `${m.copies}份` : ''].filter(Boolean).join(' ');
  return extra ? `${m.name}（${extra}）` : m.name;
}

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
  const autosave = useDraftAutosave('intake', agent.id);
  const wrapRef = useRef<HTMLDivElement>(null);
  const stateRef = useRef<{ item: CatalogItem | null; visitId?: string; known: Applicant | null }>({ item: null, known: null });
  stateRef.current = { item, visitId, known };

  const persist = useCallback(() => {
    const data: DraftData = { values: form.getFieldsValue(true) as IntakeValues, ...stateRef.current };
    autosave.save(data);
  }, [autosave, form]);

  // Offer back an unfinished draft; prefill from a visit when converting one.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const d = await loadDraft('intake', agent.id);
      if (cancelled) return;
      const apply = (data: DraftData) => {
        form.setFieldsValue({ ...emptyValues(today), ...data.values });
        setItem(data.item);
        setKnown(data.known ?? null);
        setVisitId(data.visitId);
      };
      if (d && restore) {
        apply(d.data as DraftData);
        return;
      }
      if (d) {
        const ok = await new Promise<boolean>((resolve) =>
          feedback().modal.confirm({
            title: '恢复未完成的受理登记',
            content: draftPrompt('intake', d.savedAt),
            okText: '恢复',
            cancelText: '丢弃',
            closable: false,
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          }),
        );
        if (cancelled) return;
        if (ok) {
          apply(d.data as DraftData);
          return;
        }
        await deleteDraft('intake', agent.id);
      }
      if (visitIdProp) {
        try {
          const v = await api.getVisit({ id: visitIdProp });
          if (cancelled) return;
          form.setFieldsValue({ name: v.visitorName, note: `来访登记转入：${v.summary}`.slice(0, 500) });
          setVisitNote(
            `由 ${v.visitDate} 的来访登记转入（来访人 ${v.visitorName}${v.visitorPhoneMasked ? `，电话 ${v.visitorPhoneMasked}` : ''}）。保存后来访记录会关联此件。`,
          );
        } catch (e) {
          showError(e, '读取来访登记失败');
        }
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [agent.id, formKey]);

  const values = Form.useWatch([], { form, preserve: true }) as IntakeValues | undefined;
  const kind = values?.kind ?? 'person';
  const materials = useMemo(() => values?.materials ?? [], [values?.materials]);
  const intakeDate = values?.intakeDate ?? today;
  const backfill = intakeDate < today;

  const idInfo = useMemo(() => {
    const raw = values?.idNumber ?? '';
    if (!raw.trim()) return null;
    return parseResidentId(raw, { today });
  }, [values?.idNumber, today]);

  // Look the applicant up once the ID number is valid.
  const lastLookup = useRef<string>('');
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
          persist();
        }
      })
      .catch((e: unknown) => showError(e, '查询申请人档案失败'));
    return () => {
      stale = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [idInfo, kind]);

  // Catalog search: 汉字, 拼音 or initials (e.g. "dbsq"); the server does the matching.
  const [catalog, setCatalog] = useState<CatalogItem[]>([]);
  const [catalogLoading, setCatalogLoading] = useState(false);
  const searchTimer = useRef<number | null>(null);
  const searchSeq = useRef(0);
  const searchCatalog = useCallback((q: string) => {
    if (searchTimer.current) window.clearTimeout(searchTimer.current);
    searchTimer.current = window.setTimeout(async () => {
      const seq = ++searchSeq.current;
      setCatalogLoading(true);
      try {
        const rows = await api.searchCatalog({ q, limit: 50 });
        if (seq === searchSeq.current) setCatalog(rows);
      } catch (e) {
        showError(e, '查询事项失败');
      } finally {
        if (seq === searchSeq.current) setCatalogLoading(false);
      }
    }, 180);
  }, []);
  useEffect(() => searchCatalog(''), [searchCatalog]);

  const catalogOptions = useMemo(() => {
    const list = item && !catalog.some((c) => c.code === item.code) ? [item, ...catalog] : catalog;
    return list.map((c) => ({
      value: c.code,
      label: c.name,
      item: c,
    }));
  }, [catalog, item]);

  function chooseItem(code: string) {
    const it = catalogOptions.find((o) => o.value === code)?.item ?? null;
    setItem(it);
    stateRef.current.item = it;
    form.setFieldsValue({
      itemCode: code,
      materials: (it?.materials ?? []).map((m) => ({
        name: m.name,
        form: m.form,
        copies: m.copies,
        required: m.required,
        deferrable: m.deferrable,
        state: undefined,
        custody: 'none' as CustodyState,
        promisedDate: null,
      })),
    });
    persist();
  }

  // 一次性告知: required materials that are missing block intake; everything not received is listed once.
  const blocking = materials.filter((m) => m && m.required && m.state === 'missing');
  const notReceived = materials.filter((m) => m && (m.state === 'missing' || m.state === 'deferred'));
  const unset = materials.filter((m) => m && !m.state);

  function fillRest() {
    const list = (form.getFieldValue('materials') as MaterialValue[]) ?? [];
    form.setFieldsValue({
      materials: list.map((m) => (m.state ? m : { ...m, state: receivedStateFor(m.form) })),
    });
    persist();
  }

  function buildInput(v: IntakeValues, refuseReason?: string): ApiInput<'createCase'> {
    const isPerson = v.kind === 'person';
    const id = isPerson && v.idNumber.trim() ? parseResidentId(v.idNumber, { today }) : null;
    const cc = !isPerson && v.creditCode.trim() ? parseCreditCode(v.creditCode) : null;
    const phone = v.phone?.trim() ? parsePhone(v.phone) : null;
    return {
      applicant: {
        id: known?.id,
        kind: v.kind,
        name: v.name.trim(),
        idNumber: id?.ok ? id.value.id18 : isPerson ? v.idNumber.trim() || undefined : undefined,
        creditCode: cc?.ok ? cc.value.code : !isPerson ? v.creditCode.trim() || undefined : undefined,
        phone: phone?.ok ? phone.value.phone : (v.phone ?? '').trim(),
        villageGroup: (v.villageGroup ?? '').trim(),
        address: (v.address ?? '').trim(),
      },
      itemCode: v.itemCode ?? '',
      handlingMode: v.handlingMode,
      intakeDate: v.intakeDate && v.intakeDate !== today ? v.intakeDate : undefined,
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

  async function send(input: ApiInput<'createCase'>) {
    setSaving(true);
    try {
      const c = visitId ? await api.convertVisitToCase({ ...input, visitId }) : await api.createCase(input);
      autosave.cancel();
      await deleteDraft('intake', agent.id);
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
    await send(buildInput(v));
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
    await send(buildInput(form.getFieldsValue(true) as IntakeValues, reason));
  }

  function resetForNext() {
    autosave.cancel();
    void deleteDraft('intake', agent.id);
    setResult(null);
    setItem(null);
    setKnown(null);
    setVisitId(undefined);
    setVisitNote(null);
    lastLookup.current = '';
    form.resetFields();
    form.setFieldsValue(emptyValues(today));
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
        autosave.cancel();
        void deleteDraft('intake', agent.id);
        setItem(null);
        setKnown(null);
        lastLookup.current = '';
        form.resetFields();
        form.setFieldsValue(emptyValues(today));
      },
    });
  }

  useCtrlEnter(() => {
    if (!result && !saving) form.submit();
  });

  if (result) return <IntakeResult c={result} onNext={resetForNext} />;

  const defaultRefuseReason =
    notReceived.length > 0
      ? `材料不全：缺少${notReceived.map((m) => m.name).join('、')}。已一次性告知申请人需补齐的全部材料，补齐后可再来办理。`
      : '';

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
        <Card
          size="small"
          title={<span className="section-title">申请人</span>}
          style={{ marginBottom: 12 }}
          extra={
            <Form.Item name="kind" noStyle>
              <Radio.Group optionType="button" buttonStyle="solid" aria-label="申请人类别">
                <Radio.Button value="person">个人</Radio.Button>
                <Radio.Button value="org">组织（合作社、企业）</Radio.Button>
              </Radio.Group>
            </Form.Item>
          }
        >
          {known && (
            <Alert
              style={{ marginBottom: 12 }}
              type="success"
              showIcon
              message={
                <span>
                  <Tag color="green" data-testid="known-applicant">
                    已有档案
                  </Tag>
                  {known.name}
                  {known.villageGroup && `，${known.villageGroup}`}
                  {known.phoneMasked && `，档案电话 ${known.phoneMasked}`}
                  。已自动填入档案信息，修改后会更新档案。
                </span>
              }
            />
          )}
          <Row gutter={16}>
            {kind === 'person' ? (
              <Col span={8}>
                <Form.Item
                  label="居民身份证号码"
                  name="idNumber"
                  validateTrigger={['onChange', 'onBlur']}
                  rules={[
                    { required: true, whitespace: true, message: '请填写身份证号码', validateTrigger: 'onSubmit' },
                    { validator: typingAware('idNumber', (v) => parseResidentId(v, { today })) },
                  ]}
                  extra={
                    idInfo?.ok ? (
                      <span data-testid="id-derived" style={{ color: '#237804' }}>
                        <CheckCircleOutlined /> 出生日期 {cnDate(idInfo.value.birthDate)}，{idInfo.value.sex === 'male' ? '男' : '女'}
                        {idInfo.value.upgradedFrom15 && `（15位旧号码，对应18位 ${idInfo.value.id18}）`}
                      </span>
                    ) : (
                      '18位，旧证15位也可以；输入后自动核对'
                    )
                  }
                >
                  <Input autoFocus maxLength={22} autoComplete="off" />
                </Form.Item>
              </Col>
            ) : (
              <Col span={8}>
                <Form.Item
                  label="统一社会信用代码"
                  name="creditCode"
                  validateTrigger={['onChange', 'onBlur']}
                  rules={[
                    { required: true, whitespace: true, message: '请填写统一社会信用代码', validateTrigger: 'onSubmit' },
                    { validator: typingAware('creditCode', parseCreditCode) },
                  ]}
                  extra="18位，见营业执照或登记证书"
                >
                  <Input autoFocus maxLength={22} autoComplete="off" />
                </Form.Item>
              </Col>
            )}
            <Col span={5}>
              <Form.Item
                label={kind === 'person' ? '姓名' : '组织名称'}
                name="name"
                rules={[{ required: true, whitespace: true, message: kind === 'person' ? '请填写姓名' : '请填写组织名称' }]}
              >
                <Input maxLength={50} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item
                label="手机/电话"
                name="phone"
                validateTrigger="onBlur"
                extra={known?.phoneMasked ? `档案：${known.phoneMasked}` : undefined}
                rules={[
                  {
                    validator: (_, v: string | undefined) => {
                      if (!v?.trim()) return Promise.resolve();
                      const r = parsePhone(v);
                      return r.ok ? Promise.resolve() : Promise.reject(new Error(r.error));
                    },
                  },
                ]}
              >
                <Input maxLength={20} inputMode="tel" autoComplete="off" placeholder={known?.phoneMasked ? '不改可留空' : ''} />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item label="村民小组" name="villageGroup">
                <Input maxLength={30} placeholder="例如 第三村民小组" autoComplete="off" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label="住址" name="address" style={{ marginBottom: 4 }}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
        </Card>

        <Card size="small" title={<span className="section-title">办理事项与材料</span>} style={{ marginBottom: 12 }}>
          <Row gutter={16} align="top">
            <Col span={12}>
              <Form.Item label="办理事项" name="itemCode" rules={[{ required: true, message: '请选择办理事项' }]}>
                <Select
                  showSearch
                  placeholder="输入事项名称或拼音首字母，如 养老、ylbx"
                  filterOption={false}
                  onSearch={searchCatalog}
                  onChange={(code: string) => chooseItem(code)}
                  onFocus={() => catalog.length === 0 && searchCatalog('')}
                  loading={catalogLoading}
                  notFoundContent={catalogLoading ? <Spin size="small" /> : '没有找到，换个关键词试试'}
                  options={catalogOptions}
                  optionRender={(o) => {
                    const it = (o.data as { item: CatalogItem }).item;
                    return (
                      <div>
                        <div style={{ whiteSpace: 'normal' }}>{it.name}</div>
                        <div className="text-muted" style={{ fontSize: 13 }}>
                          {it.department} · {it.committedWorkdays}个工作日 · {it.code}
                        </div>
                      </div>
                    );
                  }}
                  listHeight={360}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              {item && (
                <Descriptions
                  size="small"
                  column={2}
                  data-testid="item-info"
                  items={[
                    {
                      key: 'limit',
                      label: '承诺时限',
                      children: (
                        <b>
                          {item.committedWorkdays} 个工作日
                        </b>
                      ),
                    },
                    { key: 'dept', label: '办理部门', children: item.department || '—' },
                    { key: 'fee', label: '收费', children: item.fee > 0 ? `${item.fee} 元` : '不收费' },
                    { key: 'at', label: '审批层级', children: item.decidedAt || '—' },
                  ]}
                />
              )}
            </Col>
          </Row>

          {item ? (
            <MaterialsChecklist
              materials={materials}
              intakeDate={intakeDate}
              unsetCount={unset.length}
              onFillRest={fillRest}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="选择事项后，这里列出需要核对的材料" />
          )}

          {blocking.length > 0 && (
            <Alert
              style={{ marginTop: 12 }}
              type="error"
              showIcon
              data-testid="materials-incomplete"
              message={<b>材料不全不能受理</b>}
              description={
                <div>
                  <div>
                    缺少必需材料：{blocking.map((m) => m.name).join('、')}
                    {blocking.some((m) => m.deferrable) && '（标有“可容缺”的材料可改选“容缺后补”并填写承诺补交日期）'}。
                  </div>
                  <div style={{ marginTop: 6 }}>请一次性告知申请人需要补齐的全部材料：</div>
                  <ol style={{ margin: '4px 0 8px', paddingInlineStart: 24 }}>
                    {notReceived.map((m) => (
                      <li key={m.name}>{materialSummary(m)}</li>
                    ))}
                  </ol>
                  <Button danger icon={<StopOutlined />} onClick={() => setRefuseOpen(true)}>
                    不予受理并登记理由
                  </Button>
                </div>
              }
            />
          )}
        </Card>

        <Card size="small" title={<span className="section-title">办理</span>} style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            <Col span={10}>
              <Form.Item label="办理方式" name="handlingMode">
                <Radio.Group optionType="button" buttonStyle="solid" options={Object.entries(HANDLING_MODES).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
            </Col>
            <Col span={7}>
              <Form.Item
                label={
                  <span>
                    受理日期 {backfill && <Tag color="purple">补录</Tag>}
                  </span>
                }
                name="intakeDate"
                rules={[{ required: true, message: '请选择受理日期' }]}
                {...dateProps}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  allowClear={false}
                  disabledDate={(d) => d.format('YYYY-MM-DD') > today}
                  format="YYYY-MM-DD"
                />
              </Form.Item>
            </Col>
            <Col span={7}>
              {backfill && (
                <Alert
                  type="info"
                  style={{ marginTop: 4, fontSize: 14 }}
                  message="补录"
                  description={`按纸质记录事后录入：承诺办结日期和超期按实际受理日期 ${cnDate(intakeDate)} 计算，系统记录录入人和录入时间。`}
                />
              )}
            </Col>
          </Row>
          <Form.Item label="备注" name="note" style={{ marginBottom: 4 }}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount />
          </Form.Item>
        </Card>

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

      <RefuseModal open={refuseOpen} defaultReason={defaultRefuseReason} onCancel={() => setRefuseOpen(false)} onOk={(r) => void refuse(r)} />
    </div>
  );
}

function MaterialsChecklist({
  materials,
  intakeDate,
  unsetCount,
  onFillRest,
}: {
  materials: MaterialValue[];
  intakeDate: string;
  unsetCount: number;
  onFillRest: () => void;
}) {
  if (materials.length === 0)
    return <Alert type="info" showIcon message="该事项目录中没有列出材料，请在备注中写明收取了哪些材料。" />;
  return (
    <div>
      <Space style={{ marginBottom: 6, justifyContent: 'space-between', width: '100%' }}>
        <span style={{ fontWeight: 600 }}>材料核对（{materials.length} 项）</span>
        <Button size="small" onClick={onFillRest} disabled={unsetCount === 0}>
          未核对的材料按要求设为“已收”
        </Button>
      </Space>
      <table className="mat-table" aria-label="材料核对">
        <thead>
          <tr>
            <th style={{ width: 36 }}>#</th>
            <th>材料</th>
            <th style={{ width: 200 }}>收取情况</th>
            <th style={{ width: 160 }}>原件代管</th>
            <th style={{ width: 180 }}>承诺补交日期</th>
          </tr>
        </thead>
        <tbody>
          <Form.List name="materials">
            {(fields) =>
              fields.map((f, i) => {
                const m = materials[i];
                if (!m) return null;
                const rowCls = m.state === 'missing' && m.required ? 'mat-row-missing' : m.state === 'deferred' ? 'mat-row-deferred' : '';
                return (
                  <tr key={f.key} className={rowCls} data-testid={`material-row-${i}`}>
                    <td>{i + 1}</td>
                    <td>
                      <div style={{ fontWeight: 500 }}>{m.name}</div>
                      <div style={{ fontSize: 13 }} className="text-muted">
                        {[m.form, m.copies ? `${m.copies}份` : ''].filter(Boolean).join(' · ')}{' '}
                        {m.required ? <Tag color="blue">必需</Tag> : <Tag>如有则提供</Tag>}
                        {m.deferrable && <Tag color="gold">可容缺</Tag>}
                      </div>
                    </td>
                    <td>
                      <Form.Item name={[f.name, 'state']} rules={[{ required: true, message: '请选择' }]}>
                        <Select
                          aria-label={`${m.name} 收取情况`}
                          placeholder="请核对"
                          status={m.state === 'missing' && m.required ? 'error' : undefined}
                          options={(Object.keys(MATERIAL_STATES) as MaterialState[]).map((k) => ({
                            value: k,
                            label: MATERIAL_STATES[k],
                            disabled: k === 'deferred' && !m.deferrable,
                            title: k === 'deferred' && !m.deferrable ? '此材料不可容缺' : undefined,
                          }))}
                        />
                      </Form.Item>
                    </td>
                    <td>
                      {m.state && HOLDS_ORIGINAL.includes(m.state) ? (
                        <Form.Item name={[f.name, 'custody']}>
                          <Select
                            aria-label={`${m.name} 原件代管`}
                            options={(['none', 'held'] as CustodyState[]).map((k) => ({ value: k, label: CUSTODY_STATES[k] }))}
                          />
                        </Form.Item>
                      ) : (
                        <span className="text-muted">—</span>
                      )}
                    </td>
                    <td>
                      {m.state === 'deferred' ? (
                        <Form.Item
                          name={[f.name, 'promisedDate']}
                          {...dateProps}
                          rules={[
                            { required: true, message: '请选择承诺补交日期' },
                            {
                              validator: (_, v: string | null) =>
                                !v || v >= intakeDate ? Promise.resolve() : Promise.reject(new Error('不能早于受理日期')),
                            },
                          ]}
                        >
                          <DatePicker
                            aria-label={`${m.name} 承诺补交日期`}
                            style={{ width: '100%' }}
                            format="YYYY-MM-DD"
                            placeholder="选择日期"
                            disabledDate={(d) => d.format('YYYY-MM-DD') < intakeDate}
                          />
                        </Form.Item>
                      ) : (
                        <span className="text-muted">—</span>
                      )}
                    </td>
                  </tr>
                );
              })
            }
          </Form.List>
        </tbody>
      </table>
    </div>
  );
}

function RefuseModal({
  open,
  defaultReason,
  onCancel,
  onOk,
}: {
  open: boolean;
  defaultReason: string;
  onCancel: () => void;
  onOk: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (open) {
      setReason(defaultReason);
      setTouched(false);
    }
  }, [open, defaultReason]);
  const empty = !reason.trim();
  return (
    <Modal
      open={open}
      title="不予受理"
      okText="确认不予受理"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      onCancel={onCancel}
      onOk={() => {
        setTouched(true);
        if (!empty) onOk(reason.trim());
      }}
      destroyOnHidden
      afterOpenChange={focusFirstField}
    >
      <Typography.Paragraph>不予受理须书面说明理由。此件将登记为“不予受理”，不计入受理量，也不开始计时。</Typography.Paragraph>
      <label htmlFor="refuse-reason" style={{ fontWeight: 600 }}>
        不予受理理由
      </label>
      <Input.TextArea
        id="refuse-reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 8 }}
        maxLength={500}
        showCount
        status={touched && empty ? 'error' : undefined}
        style={{ marginBottom: 24 }}
      />
      {touched && empty && (
        <div className="text-danger" role="alert">
          请填写不予受理理由
        </div>
      )}
    </Modal>
  );
}


function IntakeResult({ c, onNext }: { c: CaseDetail; onNext: () => void }) {
  const refused = c.status === 'refusedIntake';
  const deferred = c.materials.filter((m) => m.state === 'deferred');
  const viewRef = useRef<HTMLButtonElement>(null);
  const printRef = useRef<HTMLButtonElement>(null);
  const [printing, setPrinting] = useState(false);
  useEffect(() => (printRef.current ?? viewRef.current)?.focus(), []);
  async function print() {
    setPrinting(true);
    try {
      const r = await printReceipt(api, c.id, { refused });
      feedback().message.success(r.printer ? `已发送到打印机：${r.printer}` : '已打开打印对话框');
    } catch (e) {
      showError(e, '打印失败');
    } finally {
      setPrinting(false);
    }
  }
  return (
    <Card>
      <Result
        status={refused ? 'warning' : 'success'}
        title={refused ? '已登记为不予受理' : '受理成功'}
        subTitle={
          <div style={{ fontSize: 16, color: '#1f2937' }}>
            <div className="text-muted">件号</div>
            <div className="big-case-no" data-testid="case-no">
              {c.caseNo}
            </div>
            <div style={{ marginTop: 8 }}>
              {c.applicantName} · {c.itemName}
            </div>
            {refused ? (
              <div style={{ marginTop: 8 }}>不予受理理由：{c.refusalReason}</div>
            ) : (
              <div style={{ marginTop: 8, fontSize: 18 }}>
                承诺办结日期：<b data-testid="due-date">{cnDate(c.dueDate)}</b>（{c.committedWorkdays} 个工作日）
                {c.dueEstimated && (
                  <div className="text-warning" style={{ fontSize: 14 }}>
                    该年度节假日安排尚未发布，按周一至周五估算，日期可能调整
                  </div>
                )}
                {c.backfilled && (
                  <div style={{ fontSize: 14 }}>
                    <Tag color="purple">补录</Tag>按实际受理日期 {cnDate(c.intakeDate)} 计算
                  </div>
                )}
              </div>
            )}
            {deferred.length > 0 && (
              <div style={{ marginTop: 8 }}>
                容缺后补：
                {deferred.map((m) => `${m.name}（${m.promisedDate ?? ''} 前补交）`).join('；')}
              </div>
            )}
          </div>
        }
        extra={
          <Space wrap size="middle" style={{ justifyContent: 'center' }}>
            {HAS_PRINT && extraCaseActions.length === 0 && (
              // One step: straight to the printer (Electron) or the browser's print dialog.
              <Button ref={printRef} size="large" type="primary" icon={<PrinterOutlined />} loading={printing} onClick={() => void print()} data-testid="print-receipt">
                {refused ? '打印不予受理告知书' : '打印受理回执'}
              </Button>
            )}
            {HAS_PRINT && extraCaseActions.length === 0 && (
              <PrintButton size="large" kind={refused ? 'refusal' : 'receipt'} caseId={c.id} label="预览" />
            )}
            {extraCaseActions.map((slot, i) => (
              <span key={i}>{slot(c, 'intakeResult')}</span>
            ))}
            <Button ref={viewRef} size="large" onClick={() => navigate(`/cases/${c.id}`)}>
              查看此件
            </Button>
            <Button type={HAS_PRINT ? 'default' : 'primary'} size="large" onClick={onNext}>
              继续受理下一件
            </Button>
          </Space>
        }
      />
    </Card>
  );
}

