namespace EGovEdge.Office.Documents;

/// <summary>Direction of a document type: upward (上行), downward (下行) or parallel (平行).</summary>
public enum DocDirection
{
    Upward,
    Downward,
    Parallel,
}

/// <summary>The 15 official document types of 《党政机关公文处理工作条例》 (2012) 第八条.</summary>
public static class DocumentTypes
{
    public static readonly IReadOnlyList<(string Name, DocDirection Direction)> All =
    [
        ("决议", DocDirection.Downward),
        ("决定", DocDirection.Downward),
        ("命令(令)", DocDirection.Downward),
        ("公报", DocDirection.Downward),
        ("公告", DocDirection.Downward),
        ("通告", DocDirection.Downward),
        ("意见", DocDirection.Parallel),
        ("通知", DocDirection.Downward),
        ("通报", DocDirection.Downward),
        ("报告", DocDirection.Upward),
        ("请示", DocDirection.Upward),
        ("批复", DocDirection.Downward),
        ("议案", DocDirection.Upward),
        ("函", DocDirection.Parallel),
        ("纪要", DocDirection.Downward),
    ];

    public static IEnumerable<string> Names => All.Select(t => t.Name);

    /// <summary>Accepts the exact names; "命令" and "令" are accepted for "命令(令)", as are full-width brackets.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var n = name.Trim().Replace('（', '(').Replace('）', ')');
        if (n is "命令" or "令") n = "命令(令)";
        return All.Any(t => t.Name == n) ? n : null;
    }
}
