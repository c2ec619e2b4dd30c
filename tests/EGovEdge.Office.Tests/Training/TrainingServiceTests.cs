using EGovEdge.Office.Documents;
using EGovEdge.Office.Tests.Traceability;
using EGovEdge.Office.Training;
using EGovEdge.Sync;
using EGovEdge.Sync.Storage;

namespace EGovEdge.Office.Tests.Training;

/// <summary>Exams, timed attempts, results per unit and re-training, on real SQLite stores synced in-process.</summary>
public sealed class TrainingServiceTests : IDisposable
{
    private readonly TraceWorld _w = new();

    public void Dispose() => _w.Dispose();

    private static List<Question> Paper() =>
    [
        new() { Kind = TrainingTables.QuestionSingle, Text = "公文的紧急程度分为？", Options = ["普通/加急/特急", "一般/重要"], Answer = [0] },
        new() { Kind = TrainingTables.QuestionMulti, Text = "县政府要求各单位配备哪些关键人员？", Options = ["公文收发员", "电子印章管理员", "信息上报员", "厨师"], Answer = [0, 1, 2] },
        new() { Kind = TrainingTables.QuestionTrueFalse, Text = "涉密文件可以通过互联网系统传输。", Answer = [1] },
        new() { Kind = TrainingTables.QuestionSingle, Text = "考核成绩如何处理？", Options = ["不公开", "全县通报"], Answer = [1] },
    ];

    private static readonly List<List<int>> AllRight = [[0], [2, 1, 0], [1], [1]];
    private static readonly List<List<int>> HalfRight = [[0], [0, 1], [0], [1]];

    private ExamDto Exam(ILocalStore store, string period = "2026-Q4", DateTimeOffset? publishAt = null) =>
        _w.Training(store).CreateExam(new ExamInput { Title = "电子政务系统应用" + period, Period = period, TimeLimitMinutes = 20, PassMark = 60, Questions = Paper(), PublishAt = publishAt },
            TraceWorld.Staff("admin", NodeIds.Hub));

    [Fact]
    public void Score_CountsExactAnswers_MultipleChoiceNeedsTheWholeSet()
    {
        Assert.Equal(100, TrainingService.Score(Paper(), AllRight));
        Assert.Equal(50, TrainingService.Score(Paper(), HalfRight));
        Assert.Equal(0, TrainingService.Score(Paper(), []));
        Assert.Equal(25, TrainingService.Score(Paper(), [[0], [0, 1, 2, 3]]));
    }

    [Fact]
    public void ParseQuestions_ReadsTheEditorLineFormat_AndReportsTheBadLine()
    {
        var svc = _w.Training(_w.World.Hub);
        var qs = svc.ParseQuestions("单选|公文种类有几种？|13;15;18|B\n多选|关键人员|收发员;印章管理员;厨师|AB\n判断|每季度一次小考|x|对\n");
        Assert.Equal(3, qs.Count);
        Assert.Equal([1], qs[0].Answer);
        Assert.Equal([0, 1], qs[1].Answer);
        Assert.Equal(TrainingTables.QuestionTrueFalse, qs[2].Kind);
        Assert.Equal([0], qs[2].Answer);
        var ex = Assert.Throws<OfficeValidationException>(() => svc.ParseQuestions("单选|只有题干"));
        Assert.Contains("第 1 行", ex.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<OfficeValidationException>(() => svc.CreateExam(new ExamInput { Title = "x", Period = "2026-Q5", TimeLimitMinutes = 0, PassMark = 60, Questions = qs },
            TraceWorld.Staff("admin", NodeIds.Hub)));
        Assert.Contains("period", bad.Errors.Keys);
        Assert.Contains("timeLimitMinutes", bad.Errors.Keys);
    }

    [Fact]
    public void TimeLimit_AnswersWithinTheGraceAreMarked_LaterOnesAreRefusedAndTheAttemptFails()
    {
        var exam = Exam(_w.World.Hub);
        _w.World.Sync("guangshun");
        var gs = _w.Training(_w.World.Edge("guangshun"));
        var zhang = TraceWorld.Staff("zhang", "guangshun");
        var li = TraceWorld.Staff("li", "guangshun");

        var a = gs.Start(exam.Id, zhang);
        Assert.Equal(a.Started + TimeSpan.FromMinutes(20), a.Deadline);
        Assert.Equal(4, a.Questions.Count);
        var b = gs.Start(exam.Id, li);
        Assert.Equal(a.Id, gs.Start(exam.Id, zhang).Id); // reopening resumes: same deadline

        _w.World.Time.Advance(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(10));
        var marked = gs.Submit(a.Id, new SubmitInput { Answers = AllRight }, zhang);
        Assert.Equal("submitted", marked.State);
        Assert.Equal(100, marked.Score);
        Assert.True(marked.Passed);
        Assert.Throws<OfficeValidationException>(() => gs.Submit(a.Id, new SubmitInput { Answers = AllRight }, zhang)); // once only

        _w.World.Time.Advance(TimeSpan.FromSeconds(21)); // 20 min 31 s after the start
        var late = Assert.Throws<OfficeValidationException>(() => gs.Submit(b.Id, new SubmitInput { Answers = AllRight }, li));
        Assert.Contains("attemptId", late.Errors.Keys);
        var expired = gs.Attempt(b.Id)!;
        Assert.Equal("expired", expired.State);
        Assert.Equal(0, expired.Score);
        Assert.False(expired.Passed);
        Assert.Equal("li", Assert.Single(gs.Retraining("guangshun")).Username);
        Assert.Throws<OfficeForbiddenException>(() => gs.Submit(b.Id, new SubmitInput(), zhang));
    }

    [Fact]
    public void Results_PerUnitAndPeriod_ArePublishedToEveryNode_AndRetrainingClearsWhenTheyPass()
    {
        var exam = Exam(_w.World.Hub);
        _w.World.SyncAll();
        _w.World.Sync("guangshun");
        _w.World.Sync("malu");
        var gs = _w.Training(_w.World.Edge("guangshun"));
        var ml = _w.Training(_w.World.Edge("malu"));
        var zhang = TraceWorld.Staff("zhang", "guangshun");
        var li = TraceWorld.Staff("li", "guangshun");
        var wang = TraceWorld.Staff("wang", "malu");
        gs.Submit(gs.Start(exam.Id, zhang).Id, new SubmitInput { Answers = AllRight }, zhang);
        gs.Submit(gs.Start(exam.Id, li).Id, new SubmitInput { Answers = HalfRight }, li);
        ml.Submit(ml.Start(exam.Id, wang).Id, new SubmitInput { Answers = AllRight }, wang);
        _w.World.SyncAll();

        foreach (var store in new ILocalStore[] { _w.World.Hub, _w.World.Edge("malu"), _w.World.Edge("guangshun") })
        {
            var results = _w.Training(store).Results("2026-Q4");
            var g = results.Single(r => r.Unit == "guangshun");
            Assert.Equal((2, 1, 50.0, 75.0), (g.Examined, g.Passed, g.PassRate, g.Average));
            var m = results.Single(r => r.Unit == "malu");
            Assert.Equal((1, 1, 100.0), (m.Examined, m.Passed, m.PassRate));
            Assert.Equal("li", Assert.Single(_w.Training(store).Retraining()).Username);
        }

        Assert.Throws<OfficeValidationException>(() => gs.Start(exam.Id, zhang)); // passed: no second sitting
        var retake = gs.Start(exam.Id, li);
        gs.Submit(retake.Id, new SubmitInput { Answers = AllRight }, li);
        _w.World.SyncAll();

        var hub = _w.Training(_w.World.Hub);
        Assert.Empty(hub.Retraining());
        var after = hub.Results("2026-Q4").Single(r => r.Unit == "guangshun");
        Assert.Equal((2, 2, 100.0, 100.0), (after.Examined, after.Passed, after.PassRate, after.Average));
    }

    [Fact]
    public void Results_StayHiddenUntilTheReleaseDate_ButRetrainingIsFlaggedAtOnce()
    {
        var exam = Exam(_w.World.Hub, "2026-H2", _w.World.Time.GetUtcNow().AddDays(3));
        var hub = _w.Training(_w.World.Hub);
        var me = TraceWorld.Staff("zhao", NodeIds.Hub);
        hub.Submit(hub.Start(exam.Id, me).Id, new SubmitInput { Answers = HalfRight }, me);
        Assert.Empty(hub.Results());
        Assert.Single(hub.Retraining());
        _w.World.Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0.0, Assert.Single(hub.Results("2026-H2")).PassRate);
        Assert.Equal(["2026-H2"], hub.Periods());
    }

    [Fact]
    public void Attendance_IsCountedOncePerPerson_WithinCapacity_EvenWhenTwoNodesRecordIt()
    {
        var hub = _w.Training(_w.World.Hub);
        var session = hub.CreateSession(new SessionInput { Title = "电子政务系统应用强化培训", Kind = TrainingTables.KindConcentrated, Day = "2026-11-27", Place = "县政府三楼会议室", Capacity = 2, Trainer = "移动公司技术讲师" },
            TraceWorld.Staff("admin", NodeIds.Hub));
        var gs = _w.Training(_w.World.Edge("guangshun"));
        _w.World.SyncAll();
        var zhang = TraceWorld.Staff("zhang", "guangshun");
        gs.SignIn(session.Id, "zhang", "guangshun", zhang);
        gs.SignIn(session.Id, "zhang", "guangshun", zhang); // twice: no second row
        hub.SignIn(session.Id, "zhang", "guangshun", TraceWorld.Staff("admin", NodeIds.Hub)); // also recorded at the hub, offline
        _w.World.Time.Advance(TimeSpan.FromMinutes(1));
        hub.SignIn(session.Id, "li", "malu", TraceWorld.Staff("admin", NodeIds.Hub));
        _w.World.SyncAll();

        Assert.Equal(["zhang", "li"], hub.Attendance(session.Id).Select(a => a.Username));
        Assert.Equal(2, gs.Session(session.Id, "zhang")!.Attendees);
        Assert.True(gs.Session(session.Id, "zhang")!.SignedIn);
        var full = Assert.Throws<OfficeValidationException>(() => hub.SignIn(session.Id, "wang", "malu", TraceWorld.Staff("admin", NodeIds.Hub)));
        Assert.Contains("sessionId", full.Errors.Keys);

        var later = hub.CreateSession(new SessionInput { Title = "跟踪培训", Kind = TrainingTables.KindFollowUp, Day = "2026-12-05", Units = ["malu"] }, TraceWorld.Staff("admin", NodeIds.Hub));
        Assert.Throws<OfficeValidationException>(() => hub.SignIn(later.Id, "li", "malu", TraceWorld.Staff("li", "malu"))); // not yet
        Assert.DoesNotContain(gs.Sessions("guangshun", "zhang"), s => s.Id == later.Id);
        Assert.Contains(hub.Sessions("malu", "li"), s => s.Id == later.Id);
    }

    [Fact]
    public void HubWriteRules_AttemptsAndAttendanceAreAppendOnlyAndOwn_ExamsKeepTheirQuestions()
    {
        var module = new TrainingModule();
        var schema = _w.World.Schema;
        var exam = Exam(_w.World.Hub);
        _w.World.Sync("guangshun");
        var gsStore = _w.World.Edge("guangshun");
        var gs = _w.Training(gsStore);
        var attempt = gs.Start(exam.Id, TraceWorld.Staff("zhang", "guangshun"));
        var row = gsStore.Get(TrainingTables.Attempts, attempt.Id)!;
        Assert.Null(module.CheckWrite("guangshun", schema[TrainingTables.Attempts], null, row));
        Assert.NotNull(module.CheckWrite("guangshun", schema[TrainingTables.Attempts], row, row));
        Assert.NotNull(module.CheckWrite("malu", schema[TrainingTables.Attempts], null, row));

        var examRow = _w.World.Hub.Get(TrainingTables.Exams, exam.Id)!;
        var changed = examRow.Clone();
        changed.Data["questions"] = "[]";
        Assert.NotNull(module.CheckWrite(NodeIds.Hub, schema[TrainingTables.Exams], examRow, changed));
    }
}
