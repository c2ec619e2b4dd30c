namespace EGovEdge.Office.Identity;

/// <summary>Staff roles (the key people the county named: 公文收发员, 电子印章管理员, 信息上报员, …).</summary>
public static class Roles
{
    public const string Clerk = "clerk";               // 公文收发员
    public const string SealAdmin = "seal_admin";      // 电子印章管理员
    public const string Reporter = "reporter";         // 信息上报员
    public const string Leader = "leader";             // 签发人 (unit leader)
    public const string Supervisor = "supervisor";     // 督查
    public const string Technician = "technician";     // 运维
    public const string Admin = "admin";               // 系统管理员

    public static readonly IReadOnlyList<string> All = [Clerk, SealAdmin, Reporter, Leader, Supervisor, Technician, Admin];

    /// <summary>Roles whose holders may log in at every node (their user row is published county-wide).</summary>
    public static readonly IReadOnlyList<string> CountyWide = [Supervisor, Technician, Admin];

    public static bool IsValid(string role) => All.Contains(role);
}

/// <summary>Authorization policy names used by endpoints and pages.</summary>
public static class Policies
{
    public const string Staff = "staff";
    public const string DocumentsWrite = "documents.write";
    public const string SyncOperate = "sync.operate";
    public const string Supervise = "supervise";
    public const string Administer = "administer";
}
