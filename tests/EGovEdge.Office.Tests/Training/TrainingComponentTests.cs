using Bunit;
using EGovEdge.Office.Components.Training;
using EGovEdge.Office.Tests.Traceability;
using EGovEdge.Office.Training;
using EGovEdge.Sync;

namespace EGovEdge.Office.Tests.Training;

/// <summary>The training pages rendered with bUnit over real SQLite stores, in Chinese; time from a FakeTimeProvider.</summary>
public sealed class TrainingComponentTests : IDisposable
{
    private readonly TraceWorld _w = new();

    public void Dispose() => _w.Dispose();

    private ExamDto Exam() => _w.Training(_w.World.Hub).CreateExam(new ExamInput
    {
        Title = "2026年第四季度电子政务小考",
        Period = "2026-Q4",
        TimeLimitMinutes = 10,
        PassMark = 60,
        Questions =
        [
            new() { Kind = TrainingTables.QuestionSingle, Text = "全县共举办培训多少期？", Options = ["121", "221"], Answer = [1] },
            new() { Kind = TrainingTables.QuestionMulti, Text = "二级培训包括", Options = ["集中培训", "跟踪培训", "出国培训"], Answer = [0, 1] },
        ],
    }, TraceWorld.Staff("admin", NodeIds.Hub));

    [Fact]
    public async Task TakeExam_ShowsTheCountdown_AndMarksTheAnswersOnHandIn()
    {
        var exam = Exam();
        _w.World.Sync("guangshun");
        var gs = _w.World.Edge("guangshun");
        await using var ui = new ModuleUi(_w, gs, "zhang", "guangshun", EGovEdge.Office.Identity.Roles.Reporter);
        var cut = ui.Render<ExamTake>(p => p.Add(x => x.ExamId, exam.Id));

        Assert.Contains("10:00", cut.Find("[data-testid=train-countdown]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll("[data-testid=train-question]").Count);
        cut.Find("#q0-o1").Change(true);
        cut.Find("#q1-o0").Change(true);
        cut.Find("#q1-o1").Change(true);
        _w.World.Time.Advance(TimeSpan.FromMinutes(3));
        cut.WaitForAssertion(() => Assert.Contains("07:00", cut.Find("[data-testid=train-countdown]").TextContent, StringComparison.Ordinal));
        cut.Find("[data-testid=train-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("100", cut.Find("[data-testid=train-score]").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("[data-testid=train-passed]"));
        Assert.Equal("passed", _w.Training(gs).Exams("zhang").Single().MyStatus);
    }

    [Fact]
    public async Task TakeExam_WhenTheCountdownEnds_HandsInWhatIsThere()
    {
        var exam = Exam();
        await using var ui = new ModuleUi(_w, _w.World.Hub, "zhao", "hub", EGovEdge.Office.Identity.Roles.Reporter);
        var cut = ui.Render<ExamTake>(p => p.Add(x => x.ExamId, exam.Id));
        cut.Find("#q0-o1").Change(true);

        _w.World.Time.Advance(TimeSpan.FromMinutes(10));

        cut.WaitForAssertion(() => Assert.Contains("50", cut.Find("[data-testid=train-score]").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("[data-testid=train-failed]"));
        Assert.Equal("zhao", Assert.Single(_w.Training(_w.World.Hub).Retraining()).Username);
    }

    [Fact]
    public async Task Results_ShowPassRatePerUnit_AndTheRetrainingList()
    {
        var exam = Exam();
        var hub = _w.Training(_w.World.Hub);
        var a = TraceWorld.Staff("zhang", "guangshun");
        var b = TraceWorld.Staff("li", "guangshun");
        hub.Submit(hub.Start(exam.Id, a).Id, new SubmitInput { Answers = [[1], [0, 1]] }, a);
        hub.Submit(hub.Start(exam.Id, b).Id, new SubmitInput { Answers = [[0], [0]] }, b);
        await using var ui = new ModuleUi(_w, _w.World.Hub, "admin", "hub", EGovEdge.Office.Identity.Roles.Admin);

        var cut = ui.Render<TrainingResults>();

        Assert.Equal("广顺镇", cut.Find("[data-testid=train-result-unit]").TextContent);
        Assert.Equal("50%", cut.Find("[data-testid=train-result-rate]").TextContent);
        Assert.Equal("50", cut.Find("[data-testid=train-result-average]").TextContent);
        Assert.Contains("li", Assert.Single(cut.FindAll("[data-testid=train-retrain]")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_SignIn_MarksTheCallerSignedIn()
    {
        _w.Training(_w.World.Hub).CreateSession(new SessionInput { Title = "电子政务系统应用强化培训", Day = "2026-11-27", Place = "县政府三楼会议室" }, TraceWorld.Staff("admin", NodeIds.Hub));
        _w.World.Sync("guangshun");
        var gs = _w.World.Edge("guangshun");
        await using var ui = new ModuleUi(_w, gs, "zhang", "guangshun", EGovEdge.Office.Identity.Roles.Reporter);
        var cut = ui.Render<TrainingSessions>();

        cut.Find("[data-testid=train-signin]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=train-signed]")));
        Assert.Contains("1", cut.Find("[data-testid=train-session-count]").TextContent, StringComparison.Ordinal);
        Assert.Equal("zhang", Assert.Single(_w.Training(gs).Attendance(cut.Instance is null ? "" : _w.Training(gs).Sessions(null, "zhang").Single().Id)).Username);
    }
}
