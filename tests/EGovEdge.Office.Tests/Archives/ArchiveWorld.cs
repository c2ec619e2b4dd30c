using System.IO.Compression;
using EGovEdge.Office.Archives;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Office.Tests.Workflow;
using EGovEdge.Office.Workflow;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace EGovEdge.Office.Tests.Archives;

/// <summary>
/// The workflow world (hub, 广顺镇 and 马路乡 on real SQLite files, the fake renderer and the shared fake seal registry)
/// with the archive service of each node.
/// </summary>
internal sealed class ArchiveWorld : IDisposable
{
    private readonly ServiceProvider _services;

    public ArchiveWorld()
    {
        Wf = new WorkflowWorld();
        _services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        Text = _services.GetRequiredService<IStringLocalizer<ArchiveText>>();
    }

    public WorkflowWorld Wf { get; }

    public IStringLocalizer<ArchiveText> Text { get; }

    public ILocalStore Store(string node) => Wf.Store(node);

    public ArchiveService Archive(string node, ArchiveOptions? options = null) =>
        new(Store(node), Wf.World.Time, Text, Options.Create(options ?? new ArchiveOptions()), Wf.Workflow(node), new OrganDirectory(Store(node)), Wf.Seals);

    public static WorkflowActor Clerk => WorkflowWorld.Clerk;

    /// <summary>A document drafted at <paramref name="node"/> and taken to 核发 (with one attachment when asked).</summary>
    public DocumentDto Dispatched(string node = "guangshun", string title = "关于做好冬春森林防火工作的通知", string docType = "通知", byte[]? attachment = null)
    {
        var doc = Wf.Draft(node, title, docType: docType);
        if (attachment is not null) Wf.Workflow(node).AddAttachment(doc.Id, Clerk, "森林防火预案.txt", "text/plain", attachment);
        Wf.ToDispatched(node, doc.Id);
        return doc;
    }

    /// <summary>The recipient's 收文 from 签收 to 答复 (办结).</summary>
    public void ToReplied(string node, string id)
    {
        var wf = Wf.Workflow(node);
        wf.SignFor(id, Clerk);
        wf.RegisterIncoming(id, Clerk);
        wf.Screen(id, Clerk, true, null);
        wf.Assign(id, Clerk, "wang", "2026-12-10");
        wf.Reply(id, new WorkflowActor("wang", "王明", ["clerk"]), "已按要求落实");
    }

    public static Dictionary<string, byte[]> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var map = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var e in archive.Entries)
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            map[e.FullName] = m.ToArray();
        }
        return map;
    }

    public void Dispose()
    {
        _services.Dispose();
        Wf.Dispose();
    }
}
