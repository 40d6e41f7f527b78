// The look both consoles share (village app and county console): large type, one blue, roomy tables.
import type { ThemeConfig } from 'antd';

export const APP_FONT = "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

export const APP_THEME: ThemeConfig = {
  token: {
    fontSize: 16,
    fontFamily: APP_FONT,
    controlHeight: 38,
    controlHeightLG: 44,
    controlHeightSM: 30,
    borderRadius: 6,
    colorPrimary: '#1d6fd8',
  },
  components: {
    Table: { cellPaddingBlock: 10, cellPaddingInline: 10 },
    Menu: { itemHeight: 48, darkItemBg: '#12355b', darkItemSelectedBg: '#1d6fd8' },
    Form: { itemMarginBottom: 16, verticalLabelPadding: '0 0 4px' },
  },
};
