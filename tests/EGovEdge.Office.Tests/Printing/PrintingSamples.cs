using EGovEdge.Office.Printing;

namespace EGovEdge.Office.Tests.Printing;

internal static class PrintingSamples
{
    public static PrintableDocument Notice(string? body = null) => new()
    {
        CopyNumber = "000123",
        Urgency = "特急",
        OrganBanner = "长顺县人民政府文件",
        DocNumber = "长府发〔2026〕12号",
        Title = "长顺县人民政府关于做好2026年冬春森林防火工作的通知",
        MainRecipients = ["各乡镇人民政府", "县直各部门"],
        Body = body ?? "冬春季节是森林火灾易发期。为切实做好我县森林防火工作，保护森林资源和人民群众生命财产安全，现就有关事项通知如下。\n一、提高思想认识\n各乡镇、各部门要充分认识森林防火工作的重要性，切实加强组织领导，落实工作责任。\n二、加强火源管理\n（一）严格野外用火审批。（二）加强重点时段巡查。",
        AttachmentTitles = ["长顺县森林防火责任分解表", "森林火灾应急处置流程"],
        SignatureOrgan = "长顺县人民政府",
        DateWritten = new DateOnly(2026, 11, 27),
        Note = "此件公开发布",
        CopyTo = ["县委办公室", "县人大常委会办公室", "县政协办公室"],
        PrintedBy = "长顺县人民政府办公室",
        PrintedDate = new DateOnly(2026, 11, 28),
    };

    /// <summary>Fits one page: header, one body line, signature block and a one-line colophon.</summary>
    public static PrintableDocument Short() => Notice("冬春季节是森林火灾易发期，请认真做好防火工作。") with { AttachmentTitles = [], Note = null, CopyTo = [] };

    public static string LongBody(int paragraphs) =>
        string.Join('\n', Enumerable.Range(1, paragraphs).Select(i =>
            $"{i}．各乡镇要建立健全森林防火责任制，层层签订责任书，把责任落实到村、到组、到山头地块、到具体责任人，确保不留死角，做到守土有责、守土尽责。"));
}
