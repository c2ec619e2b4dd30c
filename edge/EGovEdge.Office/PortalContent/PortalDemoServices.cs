using System.Text.Json;
using System.Text.Json.Serialization;

namespace EGovEdge.Office.PortalContent;

/// <summary>
/// The demo catalogue written at the hub's first start (marked demo, replaced by the county's real 办事指南). Kept as
/// JSON compiled into the library, so the county can replace it without a schema change; the time limits and
/// materials are typical of Guizhou county guides, not checked against the county's published ones.
/// </summary>
internal static class PortalDemoServices
{
    internal sealed class Item
    {
        public string? Code { get; set; }
        public string Name { get; set; } = "";
        public string Department { get; set; } = "";
        public string Category { get; set; } = ServiceCategories.Public;
        public string? Basis { get; set; }
        public string? Conditions { get; set; }
        public string? Procedure { get; set; }
        public string? Materials { get; set; }
        public int? LegalDays { get; set; }
        public int? PromisedDays { get; set; }
        public string? Fees { get; set; }
        public string? Place { get; set; }
        public string? Hours { get; set; }
        public string? Phone { get; set; }
        public bool Online { get; set; }
        public int? Visits { get; set; }
    }

    public static IReadOnlyList<Item> Load() => JsonSerializer.Deserialize(Json, DemoJsonContext.Default.ListItem) ?? [];

    private const string Json = """
    [
      {
        "code": "DEMO-ZRZY-001", "name": "农村村民宅基地审批", "department": "长顺县自然资源局、乡镇人民政府", "category": "licensing",
        "basis": "《中华人民共和国土地管理法》第六十二条；《农村宅基地管理办法》",
        "conditions": "本集体经济组织成员，以户为单位，一户只能拥有一处宅基地，符合国土空间规划和村庄规划",
        "procedure": "农户向村民小组提出书面申请\n村民小组会议讨论并公示（不少于5个工作日）\n村级组织审查并签署意见\n乡镇人民政府组织自然资源、农业农村等部门联审\n乡镇人民政府审批并发放《农村宅基地批准书》\n开工前实地丈量批放、竣工后验收",
        "materials": "农村宅基地和建房（规划许可）申请表\n农村宅基地使用承诺书\n申请人及家庭成员身份证、户口簿\n村民小组会议记录及公示材料\n建房设计图或通用图",
        "legalDays": 20, "promisedDays": 15, "fees": "不收费", "place": "所在乡镇便民服务中心", "hours": "工作日 9:00-12:00，14:00-17:30",
        "phone": "0854-6821000", "online": false, "visits": 2
      },
      {
        "code": "DEMO-RS-001", "name": "城乡居民基本养老保险参保登记", "department": "长顺县人力资源和社会保障局", "category": "public",
        "basis": "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        "conditions": "年满16周岁（不含在校学生），非国家机关和事业单位工作人员，不属于职工基本养老保险覆盖范围的城乡居民",
        "procedure": "携带材料到村（社区）协办员或乡镇社保服务窗口申请\n窗口受理并录入信息系统\n选择缴费档次，通过银行或手机缴费",
        "materials": "居民身份证\n户口簿\n《城乡居民基本养老保险参保登记表》",
        "legalDays": 5, "promisedDays": 0, "fees": "不收费（个人缴费按所选档次）", "place": "乡镇社保服务窗口、村（社区）便民服务点",
        "hours": "工作日 9:00-12:00，14:00-17:30", "phone": "0854-6822333", "online": true, "visits": 1
      },
      {
        "code": "DEMO-RS-002", "name": "城乡居民基本养老保险待遇领取", "department": "长顺县人力资源和社会保障局", "category": "benefit",
        "basis": "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        "conditions": "年满60周岁、累计缴费满15年，且未领取国家规定的基本养老保障待遇",
        "procedure": "本人或代办人提出申请\n乡镇社保窗口审核\n县社保经办机构核定待遇\n次月起按月发放至社会保障卡",
        "materials": "居民身份证\n户口簿\n社会保障卡",
        "legalDays": 15, "promisedDays": 5, "fees": "不收费", "place": "乡镇社保服务窗口", "hours": "工作日 9:00-12:00，14:00-17:30",
        "phone": "0854-6822333", "online": true, "visits": 1
      },
      {
        "code": "DEMO-CL-001", "name": "残疾人证办理（新办）", "department": "长顺县残疾人联合会", "category": "confirmation",
        "basis": "《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》",
        "conditions": "符合残疾标准的本县户籍居民",
        "procedure": "向户籍所在地乡镇残联或县残联申请\n到指定医疗机构进行残疾评定\n县残联审核\n制发残疾人证",
        "materials": "居民身份证或户口簿\n近期两寸免冠白底彩色照片3张\n《残疾人证申请表》",
        "legalDays": 20, "promisedDays": 10, "fees": "不收费（评定费按规定减免）", "place": "长顺县政务服务中心残联窗口",
        "hours": "工作日 9:00-12:00，14:00-17:30", "phone": "0854-6823456", "online": true, "visits": 2
      },
      {
        "code": "DEMO-LY-001", "name": "林木采伐许可证核发", "department": "长顺县林业局", "category": "licensing",
        "basis": "《中华人民共和国森林法》第五十六条；《中华人民共和国森林法实施条例》",
        "conditions": "采伐林地上的林木（农村居民采伐自留地和房前屋后个人所有的零星林木除外），具有合法林权",
        "procedure": "提交采伐申请\n乡镇林业站现场核查伐区\n县林业局审核\n核发林木采伐许可证",
        "materials": "林木采伐申请表\n林权证明（不动产权证书或林权证）\n伐区调查设计或作业设计（按规定需要的）\n上年度采伐迹地更新验收证明（适用时）",
        "legalDays": 20, "promisedDays": 7, "fees": "不收费", "place": "长顺县政务服务中心林业窗口、乡镇林业站",
        "hours": "工作日 9:00-12:00，14:00-17:30", "phone": "0854-6824567", "online": true, "visits": 1
      },
      {
        "code": "DEMO-YB-001", "name": "城乡居民医疗保险住院费用报销（原新农合）", "department": "长顺县医疗保障局", "category": "benefit",
        "basis": "《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）",
        "conditions": "参加本县城乡居民基本医疗保险，在非联网定点医疗机构或县外住院未直接结算",
        "procedure": "出院后持材料到乡镇医保窗口或县医保局申请\n窗口受理审核\n按规定比例核算报销金额\n拨付至本人社会保障卡或银行账户",
        "materials": "居民身份证或社会保障卡\n住院发票原件\n出院记录（出院小结）\n费用清单\n转诊备案材料（县外就医）",
        "legalDays": 30, "promisedDays": 15, "fees": "不收费", "place": "乡镇医保窗口、县政务服务中心医保窗口",
        "hours": "工作日 9:00-12:00，14:00-17:30", "phone": "0854-6825678", "online": false, "visits": 1
      },
      {
        "code": "DEMO-SJ-001", "name": "个体工商户设立登记", "department": "长顺县市场监督管理局", "category": "licensing",
        "basis": "《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》",
        "conditions": "有经营能力的自然人，有固定经营场所",
        "procedure": "线上（贵州政务服务网）或窗口提交申请\n登记机关审查\n符合条件的当场登记，颁发营业执照",
        "materials": "个体工商户登记（备案）申请书\n经营者身份证件\n经营场所使用相关信息",
        "legalDays": 3, "promisedDays": 0, "fees": "不收费", "place": "长顺县政务服务中心市场监管窗口、乡镇便民服务中心",
        "hours": "工作日 9:00-12:00，14:00-17:30", "phone": "0854-6826789", "online": true, "visits": 0
      },
      {
        "code": "DEMO-MZ-001", "name": "农村最低生活保障申请", "department": "长顺县民政局、乡镇人民政府", "category": "benefit",
        "basis": "《社会救助暂行办法》；《贵州省最低生活保障实施办法》",
        "conditions": "共同生活的家庭成员人均收入低于当地最低生活保障标准，且财产状况符合规定",
        "procedure": "向户籍所在地乡镇人民政府提出申请\n乡镇组织入户调查、家庭经济状况核对\n民主评议并在村务公开栏公示\n县民政局审批\n按月发放低保金",
        "materials": "最低生活保障申请书\n家庭成员身份证、户口簿\n家庭经济状况核对授权书\n收入及财产情况声明",
        "legalDays": 30, "promisedDays": 20, "fees": "不收费", "place": "所在乡镇便民服务中心", "hours": "工作日 9:00-12:00，14:00-17:30",
        "phone": "0854-6827890", "online": false, "visits": 1
      }
    ]
    """;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<PortalDemoServices.Item>))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
