using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EGovEdge.Office.Booking;
using EGovEdge.Office.Documents;
using EGovEdge.Office.Localization;
using EGovEdge.Sync.Schema;
using EGovEdge.Sync.Storage;
using Microsoft.Extensions.Localization;

namespace EGovEdge.Office.Training;

/// <summary>
/// Training sessions with sign-in, exams with a timed attempt marked automatically, results per unit and period, and
/// re-training for those who failed. The time limit is enforced here: an attempt's deadline is fixed when it starts
/// (start + limit); answers handed in up to <see cref="Grace"/> after it are accepted, later ones are refused and the
/// attempt counts as expired (score 0, failed).
/// </summary>
public sealed partial class TrainingService(ILocalStore store, TimeProvider time, IStringLocalizer<TrainingText> text)
{
    /// <summary>Allowance for the last answers in flight when the countdown reaches zero.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public string NodeId => store.NodeId;

    private DateTimeOffset Now => time.GetUtcNow();

    private SyncTable T(string name) => store.Schema[name];

    private static OfficeValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    [GeneratedRegex(@"^\d{4}-(Q[1-4]|H[12])$")]
    private static partial Regex PeriodPattern();

    /// <summary>"2026-Q4" → 小考 (quarterly), "2026-H2" → 中考 (half-yearly).</summary>
    public static bool IsQuarterly(string period) => period.Contains("-Q", StringComparison.Ordinal);

    private DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToChina(Now).DateTime);

    // ---------------------------------------------------------------- sessions and attendance

    public SessionDto CreateSession(SessionInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title)) errors["title"] = [text["Val_TitleRequired"]];
        else if (title.Length > 200) errors["title"] = [text["Val_TooLong"]];
        var kind = string.IsNullOrEmpty(input.Kind) ? TrainingTables.KindConcentrated : input.Kind;
        if (kind is not (TrainingTables.KindConcentrated or TrainingTables.KindFollowUp)) errors["kind"] = [text["Val_KindUnknown"]];
        if (!DateOnly.TryParseExact(input.Day?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) errors["day"] = [text["Val_DateFormat"]];
        if (input.Capacity is < 0 or > 10000) errors["capacity"] = [text["Val_Capacity"]];
        if ((input.Trainer?.Length ?? 0) > 100 || (input.Place?.Length ?? 0) > 200) errors["place"] = [text["Val_TooLong"]];
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        var units = (input.Units ?? []).Select(u => u.Trim()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var row = store.Insert(TrainingTables.Sessions, new JsonObject
        {
            ["title"] = title,
            ["kind"] = kind,
            ["trainer"] = input.Trainer?.Trim() ?? "",
            ["day"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["place"] = input.Place?.Trim() ?? "",
            ["units"] = units.Count == 0 ? "" : "|" + string.Join('|', units) + "|",
            ["capacity"] = (long)(input.Capacity ?? 0),
            ["retraining"] = input.Retraining ? 1L : 0L,
            ["created_by"] = actor.Username,
            ["created_utc"] = BookingTime.Text(Now),
        });
        return ToSession(row, [], actor.Username);
    }

    /// <summary>Sessions open to <paramref name="unit"/> (county-wide ones and those naming it; every session when null), latest day first.</summary>
    public List<SessionDto> Sessions(string? unit, string username)
    {
        using var conn = store.OpenConnection();
        var rows = BookingEngine.Select(conn, null, T(TrainingTables.Sessions), "WHERE r.deleted = 0 ORDER BY r.day DESC, r.id DESC");
        var attendance = AllAttendance(conn);
        return rows.Where(r => unit is null || string.IsNullOrEmpty(r.Text("units")) || (r.Text("units") ?? "").Contains("|" + unit + "|", StringComparison.Ordinal))
            .Select(r => ToSession(r, attendance.GetValueOrDefault(r.Id) ?? [], username)).ToList();
    }

    public SessionDto? Session(string id, string username)
    {
        if (!Guid.TryParse(id, out _) || store.Get(TrainingTables.Sessions, id) is not { Deleted: false } row) return null;
        return ToSession(row, Attendance(id), username);
    }

    private static SessionDto ToSession(SyncRow r, IReadOnlyList<AttendanceDto> attendees, string username) => new()
    {
        Id = r.Id,
        Title = r.Text("title") ?? "",
        Kind = r.Text("kind") ?? TrainingTables.KindConcentrated,
        Trainer = r.Text("trainer"),
        Day = r.Text("day") ?? "",
        Place = r.Text("place"),
        Units = (r.Text("units") ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries),
        Capacity = (int)(r.Integer("capacity") ?? 0),
        Retraining = r.Integer("retraining") is 1,
        Attendees = attendees.Count,
        SignedIn = attendees.Any(a => a.Username == username),
        Origin = r.Origin,
    };

    /// <summary>
    /// Records that <paramref name="username"/> attended (from the session's day on, within capacity as known here).
    /// Signing in twice changes nothing; two nodes recording the same person offline count once.
    /// </summary>
    public SessionDto SignIn(string sessionId, string username, string? unit, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var session = Guid.TryParse(sessionId, out _) ? store.Get(TrainingTables.Sessions, sessionId) : null;
        if (session is null || session.Deleted) throw Invalid("sessionId", text["Val_SessionUnknown"]);
        if (string.IsNullOrWhiteSpace(username)) throw Invalid("username", text["Val_UsernameRequired"]);
        if (DateOnly.TryParseExact(session.Text("day"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && Today < day)
        {
            throw Invalid("sessionId", text["Val_NotYet"]);
        }
        var now = Now;
        store.Transact(w =>
        {
            var signed = Distinct(BookingEngine.Select(w.Connection, w.Transaction, T(TrainingTables.Attendance), "WHERE r.session_id = @s AND r.deleted = 0", ("@s", session.Id)));
            if (signed.Any(a => a.Username == username)) return 0;
            var capacity = session.Integer("capacity") ?? 0;
            if (capacity > 0 && signed.Count >= capacity) throw Invalid("sessionId", text["Val_Full"]);
            w.Insert(TrainingTables.Attendance, new JsonObject
            {
                ["session_id"] = session.Id,
                ["username"] = username.Trim(),
                ["unit"] = unit ?? actor.Unit,
                ["signed_utc"] = BookingTime.Text(now),
                ["recorded_by"] = actor.Username,
            });
            return 1;
        });
        return Session(session.Id, username)!;
    }

    public List<AttendanceDto> Attendance(string sessionId)
    {
        using var conn = store.OpenConnection();
        return Distinct(BookingEngine.Select(conn, null, T(TrainingTables.Attendance), "WHERE r.session_id = @s AND r.deleted = 0", ("@s", sessionId)));
    }

    private Dictionary<string, List<AttendanceDto>> AllAttendance(System.Data.Common.DbConnection conn) =>
        BookingEngine.Select(conn, null, T(TrainingTables.Attendance), "WHERE r.deleted = 0")
            .GroupBy(r => r.Text("session_id") ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Distinct(g));

    /// <summary>One entry per person: the earliest sign-in wins.</summary>
    private static List<AttendanceDto> Distinct(IEnumerable<SyncRow> rows) =>
        rows.Select(r => new AttendanceDto { Username = r.Text("username") ?? "", Unit = r.Text("unit"), Signed = BookingTime.Parse(r.Text("signed_utc")) })
            .GroupBy(a => a.Username, StringComparer.Ordinal)
            .Select(g => g.OrderBy(a => a.Signed).First())
            .OrderBy(a => a.Signed).ThenBy(a => a.Username, StringComparer.Ordinal).ToList();

    // ---------------------------------------------------------------- exams

    public ExamDto CreateExam(ExamInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title)) errors["title"] = [text["Val_TitleRequired"]];
        else if (title.Length > 200) errors["title"] = [text["Val_TooLong"]];
        var period = input.Period?.Trim().ToUpperInvariant() ?? "";
        if (!PeriodPattern().IsMatch(period)) errors["period"] = [text["Val_Period"]];
        if (input.TimeLimitMinutes is not (>= 1 and <= 300)) errors["timeLimitMinutes"] = [text["Val_TimeLimit"]];
        if (input.PassMark is not (>= 0 and <= 100)) errors["passMark"] = [text["Val_PassMark"]];
        var questions = input.Questions ?? [];
        if (questions.Count == 0) errors["questions"] = [text["Val_NoQuestions"]];
        for (var i = 0; i < questions.Count; i++)
        {
            if (CheckQuestion(questions[i]) is { } problem)
            {
                errors["questions"] = [text["Val_Question", i + 1, problem]];
                break;
            }
        }
        if (errors.Count > 0) throw new OfficeValidationException(errors);
        foreach (var q in questions)
        {
            q.Text = q.Text.Trim();
            if (q.Kind == TrainingTables.QuestionTrueFalse) q.Options = [text["Tf_True"], text["Tf_False"]];
            q.Answer = q.Answer.Distinct().Order().ToList();
        }
        var row = store.Insert(TrainingTables.Exams, new JsonObject
        {
            ["title"] = title,
            ["period"] = period,
            ["time_limit_min"] = (long)input.TimeLimitMinutes!.Value,
            ["pass_mark"] = (long)input.PassMark!.Value,
            ["questions"] = JsonSerializer.Serialize(questions, TrainingJsonContext.Default.ListQuestion),
            ["publish_utc"] = input.PublishAt is { } p ? BookingTime.Text(p) : "",
            ["created_by"] = actor.Username,
            ["created_utc"] = BookingTime.Text(Now),
        });
        return ToExam(row, []);
    }

    private string? CheckQuestion(Question q)
    {
        if (string.IsNullOrWhiteSpace(q.Text)) return text["Val_QuestionText"];
        var options = q.Kind == TrainingTables.QuestionTrueFalse ? 2 : q.Options.Count;
        if (q.Kind is not (TrainingTables.QuestionSingle or TrainingTables.QuestionMulti or TrainingTables.QuestionTrueFalse)) return text["Val_QuestionKind"];
        if (q.Kind != TrainingTables.QuestionTrueFalse && (options < 2 || q.Options.Any(string.IsNullOrWhiteSpace))) return text["Val_QuestionOptions"];
        if (q.Answer.Count == 0 || q.Answer.Any(a => a < 0 || a >= options)) return text["Val_QuestionAnswer"];
        if (q.Kind != TrainingTables.QuestionMulti && q.Answer.Distinct().Count() != 1) return text["Val_QuestionAnswer"];
        return null;
    }

    /// <summary>
    /// Parses the exam editor's line format, one question per line: <c>kind|question|option;option;…|answer</c>, kind
    /// 单选/多选/判断 (or single/multi/tf), answer as letters (B, AC) or 对/错 for true/false.
    /// </summary>
    public List<Question> ParseQuestions(string? lines)
    {
        var list = new List<Question>();
        var n = 0;
        foreach (var raw in (lines ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            n++;
            var parts = line.Split('|');
            if (parts.Length != 4) throw Invalid("questions", text["Val_QuestionLine", n]);
            var kind = parts[0].Trim() switch
            {
                "单选" or "single" => TrainingTables.QuestionSingle,
                "多选" or "multi" => TrainingTables.QuestionMulti,
                "判断" or "tf" => TrainingTables.QuestionTrueFalse,
                _ => throw Invalid("questions", text["Val_QuestionLine", n]),
            };
            var options = kind == TrainingTables.QuestionTrueFalse ? [] : parts[2].Split(';', '；').Select(o => o.Trim()).Where(o => o.Length > 0).ToList();
            var key = parts[3].Trim().ToUpperInvariant();
            var answer = kind == TrainingTables.QuestionTrueFalse
                ? key switch { "对" or "正确" or "T" or "TRUE" or "√" => [0], "错" or "错误" or "F" or "FALSE" or "×" => [1], _ => new List<int>() }
                : key.Where(char.IsAsciiLetterUpper).Select(ch => ch - 'A').ToList();
            list.Add(new Question { Kind = kind, Text = parts[1].Trim(), Options = options, Answer = answer });
        }
        return list;
    }

    /// <summary>Every exam, latest period first, with the caller's status.</summary>
    public List<ExamDto> Exams(string username)
    {
        var attempts = AttemptsOf(username);
        using var conn = store.OpenConnection();
        return BookingEngine.Select(conn, null, T(TrainingTables.Exams), "WHERE r.deleted = 0 ORDER BY r.period DESC, r.created_utc DESC, r.id DESC")
            .Select(r => ToExam(r, attempts.Where(a => a.ExamId == r.Id).ToList())).ToList();
    }

    public ExamDto? Exam(string id, string username) =>
        Guid.TryParse(id, out _) && store.Get(TrainingTables.Exams, id) is { Deleted: false } r ? ToExam(r, AttemptsOf(username).Where(a => a.ExamId == id).ToList()) : null;

    private static ExamDto ToExam(SyncRow r, IReadOnlyList<AttemptDto> mine) => new()
    {
        Id = r.Id,
        Title = r.Text("title") ?? "",
        Period = r.Text("period") ?? "",
        TimeLimitMinutes = (int)(r.Integer("time_limit_min") ?? 0),
        PassMark = (int)(r.Integer("pass_mark") ?? 0),
        QuestionCount = QuestionsOf(r).Count,
        PublishAt = BookingTime.ParseOrNull(r.Text("publish_utc")),
        Origin = r.Origin,
        MyStatus = mine.Any(a => a.Passed) ? "passed" : mine.Any(a => a.State == "open") ? "open" : mine.Count > 0 ? "failed" : "none",
        MyBestScore = mine.Where(a => a.State != "open").Select(a => a.Score).Max(),
    };

    private static List<Question> QuestionsOf(SyncRow exam)
    {
        try
        {
            return JsonSerializer.Deserialize(exam.Text("questions") ?? "[]", TrainingJsonContext.Default.ListQuestion) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    // ---------------------------------------------------------------- attempts

    /// <summary>
    /// Starts an attempt (or resumes the open one, same deadline), at this node. Someone who passed the exam does not
    /// sit it again; someone who failed may retake it.
    /// </summary>
    public AttemptDto Start(string examId, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var exam = Guid.TryParse(examId, out _) ? store.Get(TrainingTables.Exams, examId) : null;
        if (exam is null || exam.Deleted) throw Invalid("examId", text["Val_ExamUnknown"]);
        var now = Now;
        var id = store.Transact(w =>
        {
            var mine = Attempts(BookingEngine.Select(w.Connection, w.Transaction, T(TrainingTables.Attempts), "WHERE r.exam_id = @e AND r.username = @u AND r.deleted = 0",
                ("@e", exam.Id), ("@u", actor.Username)), now);
            if (mine.Any(a => a.Passed)) throw Invalid("examId", text["Val_AlreadyPassed"]);
            if (mine.FirstOrDefault(a => a.State == "open") is { } open) return open.Id;
            var limit = TimeSpan.FromMinutes(exam.Integer("time_limit_min") ?? 0);
            return w.Insert(TrainingTables.Attempts, new JsonObject
            {
                ["exam_id"] = exam.Id,
                ["phase"] = TrainingTables.PhaseStart,
                ["attempt_id"] = "",
                ["username"] = actor.Username,
                ["unit"] = actor.Unit,
                ["started_utc"] = BookingTime.Text(now),
                ["deadline_utc"] = BookingTime.Text(now + limit),
            }).Id;
        });
        return Attempt(id)!;
    }

    /// <summary>
    /// Hands in the answers and marks them. Refused when the attempt is not the caller's, already handed in, or when
    /// now is past deadline + <see cref="Grace"/> (the attempt then counts as expired: 0 points, failed).
    /// </summary>
    public AttemptDto Submit(string attemptId, SubmitInput input, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        var id = store.Transact(w =>
        {
            var start = Guid.TryParse(attemptId, out _) ? w.Get(TrainingTables.Attempts, attemptId) : null;
            if (start is null || start.Deleted || start.Text("phase") != TrainingTables.PhaseStart) throw Invalid("attemptId", text["Val_AttemptUnknown"]);
            if (start.Text("username") != actor.Username) throw new OfficeForbiddenException(text["Val_NotYourAttempt"]);
            var handedIn = w.Connection.ScalarLong($"SELECT COUNT(*) FROM {TrainingTables.Attempts} WHERE attempt_id = @a AND deleted = 0", w.Transaction, ("@a", start.Id));
            if (handedIn > 0) throw Invalid("attemptId", text["Val_AlreadySubmitted"]);
            var deadline = BookingTime.Parse(start.Text("deadline_utc"));
            if (now > deadline + Grace) throw Invalid("attemptId", text["Val_TimeUp"]);
            var exam = w.Get(TrainingTables.Exams, start.Text("exam_id") ?? "") ?? throw Invalid("examId", text["Val_ExamUnknown"]);
            var answers = input.Answers ?? [];
            var score = Score(QuestionsOf(exam), answers);
            w.Insert(TrainingTables.Attempts, new JsonObject
            {
                ["exam_id"] = exam.Id,
                ["phase"] = TrainingTables.PhaseSubmit,
                ["attempt_id"] = start.Id,
                ["username"] = actor.Username,
                ["unit"] = start.Text("unit"),
                ["started_utc"] = start.Text("started_utc"),
                ["deadline_utc"] = start.Text("deadline_utc"),
                ["submitted_utc"] = BookingTime.Text(now),
                ["answers"] = JsonSerializer.Serialize(answers, TrainingJsonContext.Default.ListListInt32),
                ["score"] = (long)score,
                ["passed"] = score >= (exam.Integer("pass_mark") ?? 0) ? 1L : 0L,
            });
            return start.Id;
        });
        return Attempt(id)!;
    }

    /// <summary>
    /// 0–100: the share of questions answered exactly right (multiple choice needs exactly the right set), rounded
    /// half away from zero.
    /// </summary>
    public static int Score(IReadOnlyList<Question> questions, IReadOnlyList<List<int>> answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answers);
        if (questions.Count == 0) return 0;
        var right = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            var given = i < answers.Count ? answers[i].Distinct().Order().ToList() : [];
            if (given.SequenceEqual(questions[i].Answer.Distinct().Order())) right++;
        }
        return (int)Math.Round(100.0 * right / questions.Count, MidpointRounding.AwayFromZero);
    }

    /// <summary>An attempt with its questions (no answer key) while it is open.</summary>
    public AttemptDto? Attempt(string id)
    {
        if (!Guid.TryParse(id, out _) || store.Get(TrainingTables.Attempts, id) is not { Deleted: false } start) return null;
        using var conn = store.OpenConnection();
        var rows = BookingEngine.Select(conn, null, T(TrainingTables.Attempts), "WHERE (r.id = @a OR r.attempt_id = @a) AND r.deleted = 0", ("@a", start.Id));
        var a = Attempts(rows, Now).FirstOrDefault();
        if (a is null) return null;
        if (a.State != "open") return a;
        var exam = store.Get(TrainingTables.Exams, a.ExamId);
        var questions = exam is null ? [] : QuestionsOf(exam);
        return new AttemptDto
        {
            Id = a.Id, ExamId = a.ExamId, Username = a.Username, Unit = a.Unit, Started = a.Started, Deadline = a.Deadline, State = a.State,
            Questions = questions.Select((q, i) => new QuestionView { Index = i, Kind = q.Kind, Text = q.Text, Options = q.Options }).ToList(),
        };
    }

    private List<AttemptDto> AttemptsOf(string username)
    {
        using var conn = store.OpenConnection();
        return Attempts(BookingEngine.Select(conn, null, T(TrainingTables.Attempts), "WHERE r.username = @u AND r.deleted = 0", ("@u", username)), Now);
    }

    /// <summary>Pairs start rows with their submit rows; an unsubmitted attempt past deadline + grace is expired.</summary>
    private static List<AttemptDto> Attempts(IEnumerable<SyncRow> rows, DateTimeOffset now)
    {
        var all = rows.ToList();
        var submits = all.Where(r => r.Text("phase") == TrainingTables.PhaseSubmit)
            .GroupBy(r => r.Text("attempt_id") ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Text("submitted_utc"), StringComparer.Ordinal).First(), StringComparer.Ordinal);
        return all.Where(r => r.Text("phase") == TrainingTables.PhaseStart).Select(s =>
        {
            var deadline = BookingTime.Parse(s.Text("deadline_utc"));
            var sub = submits.GetValueOrDefault(s.Id);
            var state = sub is not null ? "submitted" : now > deadline + Grace ? "expired" : "open";
            return new AttemptDto
            {
                Id = s.Id,
                ExamId = s.Text("exam_id") ?? "",
                Username = s.Text("username") ?? "",
                Unit = s.Text("unit"),
                Started = BookingTime.Parse(s.Text("started_utc")),
                Deadline = deadline,
                Submitted = BookingTime.ParseOrNull(sub?.Text("submitted_utc")),
                Score = sub is not null ? (int)(sub.Integer("score") ?? 0) : state == "expired" ? 0 : null,
                Passed = sub?.Integer("passed") is 1,
                State = state,
            };
        }).OrderBy(a => a.Started).ToList();
    }

    // ---------------------------------------------------------------- results and re-training

    /// <summary>
    /// Results per unit and period (pass rate and average of each person's best score in the period) over exams whose
    /// release date has passed. Every node computes the same table from the replicated rows: that is the county-wide
    /// publication.
    /// </summary>
    public List<UnitResultDto> Results(string? period = null)
    {
        var people = PersonResults(publishedOnly: true);
        return people.Where(p => period is null || p.Period == period)
            .GroupBy(p => (p.Period, p.Unit))
            .Select(g => new UnitResultDto
            {
                Period = g.Key.Period,
                Unit = g.Key.Unit,
                Examined = g.Count(),
                Passed = g.Count(p => p.Passed),
                PassRate = Math.Round(100.0 * g.Count(p => p.Passed) / g.Count(), 1),
                Average = Math.Round(g.Average(p => p.Best), 1),
            })
            .OrderByDescending(r => r.Period, StringComparer.Ordinal).ThenByDescending(r => r.PassRate).ThenBy(r => r.Unit, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// People who failed in a period and have not passed any exam of that period since (expired attempts count as
    /// failed); passing a retake clears the flag. Optionally only one unit's people.
    /// </summary>
    public List<RetrainingDto> Retraining(string? unit = null) =>
        PersonResults(publishedOnly: false)
            .Where(p => !p.Passed && (unit is null || p.Unit == unit))
            .Select(p => new RetrainingDto { Username = p.Username, Unit = p.Unit, Period = p.Period, BestScore = p.Best })
            .OrderByDescending(r => r.Period, StringComparer.Ordinal).ThenBy(r => r.Unit, StringComparer.Ordinal).ThenBy(r => r.Username, StringComparer.Ordinal).ToList();

    /// <summary>Periods that have at least one exam, latest first.</summary>
    public List<string> Periods()
    {
        using var conn = store.OpenConnection();
        using var cmd = conn.Command($"SELECT DISTINCT period FROM {TrainingTables.Exams} WHERE deleted = 0 ORDER BY period DESC");
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    private sealed record PersonResult(string Period, string Unit, string Username, int Best, bool Passed);

    private List<PersonResult> PersonResults(bool publishedOnly)
    {
        var now = Now;
        using var conn = store.OpenConnection();
        var exams = BookingEngine.Select(conn, null, T(TrainingTables.Exams), "WHERE r.deleted = 0")
            .Where(e => !publishedOnly || BookingTime.ParseOrNull(e.Text("publish_utc")) is not { } at || at <= now)
            .ToDictionary(e => e.Id, e => e.Text("period") ?? "");
        var attempts = Attempts(BookingEngine.Select(conn, null, T(TrainingTables.Attempts), "WHERE r.deleted = 0"), now)
            .Where(a => a.State != "open" && exams.ContainsKey(a.ExamId));
        return attempts.GroupBy(a => (Period: exams[a.ExamId], a.Username))
            .Select(g =>
            {
                var last = g.OrderBy(a => a.Started).Last();
                return new PersonResult(g.Key.Period, last.Unit ?? "", g.Key.Username, g.Max(a => a.Score ?? 0), g.Any(a => a.Passed));
            }).ToList();
    }

    /// <summary>Exams this person has not passed yet and may sit now (home page).</summary>
    public int ExamsToTake(string username) => Exams(username).Count(e => e.MyStatus != "passed");

    public bool NeedsRetraining(string username) => Retraining().Any(r => r.Username == username);
}
