// How each history action reads in a timeline or a printed case record.
export const EVENT_LABELS: Record<string, string> = {
  'case.create': '受理登记',
  'case.createBackfilled': '补录受理',
  'case.refuseIntake': '不予受理',
  'case.handUp': '报送',
  'case.returnForCorrection': '退回补正',
  'case.resubmit': '补正后重新报送',
  'case.decide': '办结',
  'case.deliver': '送达',
  'case.archive': '归档',
  'case.withdraw': '撤回',
  'case.dueRecomputed': '承诺办结日期重算',
  'case.countyDecision': '县级办理结果',
  'supervision.answer': '答复县级督办',
  'warning.answer': '答复县级考评预警',
  'case.countyDecisionKept': '县级决定与本机记录冲突（保留本机记录）',
  'material.create': '材料登记',
  'material.update': '材料状态变更',
  'applicant.create': '建立申请人档案',
  'applicant.update': '修改申请人信息',
  'applicant.correctName': '更正申请人姓名',
  'applicant.reveal': '查看完整证件号/电话',
  'applicant.creditCodeConfirmed': '确认早期试点统一社会信用代码（校验位不符）',
  'followup.create': '回访登记',
  'rectification.open': '差评整改立项',
  'rectification.close': '整改完成',
  'visit.create': '来访登记',
  'visit.update': '来访处理情况更新',
  'visit.toCase': '来访转为代办件',
  'agent.create': '新增代办员',
  'agent.activate': '启用代办员',
  'agent.deactivate': '停用代办员',
  'agent.changePin': '修改密码',
};

export function eventLabel(action: string): string {
  return EVENT_LABELS[action] ?? action;
}
