// Plausible Chinese names for the synthetic city. Real street names of Ordos are used as a
// flavour where well known (伊金霍洛西街, 鄂托克西街 …); everything else is invented and every
// feature carrying them is tagged source=synthetic.

const CN_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 12 → 十二, 25 → 二十五, 103 → 一百零三. */
export function cnNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n];
  if (n < 20) return "十" + (n % 10 ? CN_DIGITS[n % 10] : "");
  if (n < 100) return CN_DIGITS[Math.floor(n / 10)] + "十" + (n % 10 ? CN_DIGITS[n % 10] : "");
  const h = Math.floor(n / 100);
  const r = n % 100;
  if (r === 0) return CN_DIGITS[h] + "百";
  return CN_DIGITS[h] + "百" + (r < 10 ? "零" + CN_DIGITS[r] : r < 20 ? "一" + cnNumber(r) : cnNumber(r));
}

/** Kangbashi north–south roads (路), west to east of the axis. */
export const KBS_NS_MAJOR = [
  "康和路",
  "康宁路",
  "康泰路",
  "康平路",
  "康乐路",
  "康盛路",
  "康兴路",
  "康达路",
  "康福路",
  "康裕路",
  "康安路",
  "康城路",
  "康隆路",
  "康庄路",
  "康惠路",
  "康顺路",
];
/** Kangbashi east–west streets (街 / 大街), north to south. */
export const KBS_EW_MAJOR = [
  "青春山大街",
  "北区大街",
  "天骄大街",
  "成吉思汗大街",
  "鄂尔多斯大街",
  "乌兰木伦大街",
  "文化大街",
  "民生大街",
  "滨河大街",
  "湖滨大街",
  "南岸大街",
  "会展大街",
  "金融大街",
  "永昌大街",
  "兴旺大街",
  "德胜大街",
];

/** Dongsheng base names; E–W streets get 东/西, N–S roads get 南/北 by side of the centre. */
export const DS_EW_MAJOR = [
  "伊金霍洛",
  "鄂托克",
  "宝日陶亥",
  "乌审",
  "达拉特",
  "杭锦",
  "准格尔",
  "纺织",
  "团结",
  "民族",
  "聚丰",
  "巴音",
  "吉劳庆",
  "罕台",
  "铜川",
  "泊江海",
];
export const DS_NS_MAJOR = [
  "天骄",
  "林荫",
  "达拉特",
  "准格尔",
  "杭锦",
  "伊化",
  "铁西",
  "民生",
  "宝日陶亥",
  "鄂尔多斯",
  "东环",
  "西环",
  "工业",
  "大桥",
  "巴音门克",
  "富兴",
];
export const DS_LANES = [
  "育英",
  "建设",
  "宏远",
  "幸福",
  "和平",
  "新华",
  "兴胜",
  "交通",
  "园丁",
  "杭锦",
  "民主",
  "公园",
  "兴泰",
  "东兴",
  "金融",
  "团结",
  "林荫",
  "光明",
  "文明",
  "友谊",
  "振兴",
  "双拥",
  "青年",
  "红旗",
  "胜利",
  "富民",
  "永安",
  "太平",
  "长青",
  "春华",
];

export const COMMUNITIES = [
  "育英",
  "建设",
  "天骄",
  "林荫",
  "富兴",
  "宏远",
  "兴胜",
  "交通",
  "公园",
  "民族",
  "纺织",
  "巴音",
  "杭锦",
  "吉劳庆",
  "团结",
  "民生",
  "诃额伦",
  "哈巴格希",
  "滨河",
  "青春山",
  "康和",
  "康宁",
  "康泰",
  "康馨",
  "书香",
  "文化",
  "北区",
  "南岸",
  "湖畔",
  "阳光",
  "和谐",
  "铜川",
  "罕台",
  "巴音孟克",
  "准格尔",
  "伊化",
  "幸福",
  "光明",
  "新华",
  "振兴",
  "友谊",
  "金辉",
  "东达",
  "万正",
  "汇能",
  "天佐",
  "银河",
  "泰和",
  "锦绣",
  "福润",
];

const UNITS = [
  "电业",
  "税务",
  "粮食",
  "教育",
  "交通",
  "水利",
  "邮电",
  "供销",
  "建设",
  "工商",
  "银行",
  "气象",
  "林业",
  "百货",
  "棉纺",
  "煤炭",
  "物资",
  "商业",
  "农机",
  "石油",
  "地质",
  "公路",
  "卫生",
  "文化",
  "广电",
  "财政",
  "公安",
  "法院",
  "人防",
  "铁路",
  "化肥厂",
  "毛纺厂",
  "面粉厂",
  "机械厂",
  "运输公司",
  "建筑公司",
  "电厂",
  "自来水公司",
  "医院",
  "师范",
  "一中",
  "二中",
  "矿务局",
  "羊绒厂",
  "皮革厂",
  "酒厂",
  "印刷厂",
];
const ESTATES = [
  "天骄",
  "团结",
  "兴盛",
  "宏远",
  "和平",
  "幸福",
  "光明",
  "振兴",
  "安居",
  "康乐",
  "阳光",
  "福盛",
  "聚福",
  "怡景",
  "祥和",
  "春华",
  "金源",
  "富兴",
  "东兴",
  "铜川",
  "巴音",
  "伊泰",
  "惠民",
  "华府",
  "景泰",
];

/** Unique old-compound names: 电业小区, 税务局家属院, 天骄二区 … */
export function compoundName(i: number): string {
  const suffixes = ["小区", "家属院", "住宅小区", "宿舍区"];
  if (i < UNITS.length * 2) {
    const u = UNITS[i % UNITS.length];
    return i < UNITS.length ? `${u}${suffixes[i % 2 === 0 ? 0 : 1]}` : `${u}${suffixes[2 + (i % 2)]}`;
  }
  const k = i - UNITS.length * 2;
  const e = ESTATES[k % ESTATES.length];
  return `${e}${cnNumber(1 + Math.floor(k / ESTATES.length))}区`;
}

/** Modern estate names for Kangbashi / newer Dongsheng compounds. */
export function estateName(i: number): string {
  const a = ["御景", "华府", "锦园", "雅苑", "名邸", "嘉园", "新城", "家园", "花园", "公馆", "湾", "府"];
  const b = [
    "康城",
    "书香",
    "湖畔",
    "天骄",
    "青春山",
    "金辉",
    "伊泰",
    "东胜",
    "鄂尔多斯",
    "滨河",
    "万正",
    "泰和",
    "锦绣",
    "汇能",
    "中冶",
    "恒大",
    "碧桂园",
    "瑞阳",
    "景苑",
    "金地",
  ];
  return `${b[i % b.length]}${a[Math.floor(i / b.length) % a.length]}${i >= a.length * b.length ? cnNumber(1 + Math.floor(i / (a.length * b.length))) + "期" : ""}`;
}

export const FEATURED_STREETS = [
  "1980老街",
  "鄂尔多斯福巷",
  "暖城夜市",
  "东胜美食街",
  "伊金霍洛步行街",
  "宝日陶亥风情街",
  "天骄文化街",
  "蒙元风情街",
  "林荫夜巷",
  "杭锦烟火街",
  "铜川老味街",
  "康巴什滨湖夜市",
  "书香文创街",
  "聚丰美食巷",
  "巴音民俗街",
  "团结老街",
  "纺织记忆街",
  "民族风情巷",
];

export const OPERATORS = ["国家电网", "特来电", "星星充电", "南方电网", "鄂尔多斯城投充电", "云快充"];

export const PARK_NAMES_KBS = [
  "水岸新城中心公园",
  "康巴什中心公园",
  "滨湖公园",
  "北区公园",
  "文化公园",
  "植物园",
  "奥林匹克公园",
  "儿童公园",
];
export const PARK_NAMES_DS = [
  "红海子湿地公园",
  "体育公园",
  "东胜公园",
  "天骄公园",
  "林荫公园",
  "铜川公园",
  "民族团结公园",
  "绿地公园",
  "太阳广场公园",
  "市民公园",
];
