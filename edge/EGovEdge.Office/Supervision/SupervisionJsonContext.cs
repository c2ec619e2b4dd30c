using System.Text.Json;
using System.Text.Json.Serialization;

namespace EGovEdge.Office.Supervision;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SupervisionReport))]
[JsonSerializable(typeof(InspectionDto))]
[JsonSerializable(typeof(IReadOnlyList<InspectionDto>))]
[JsonSerializable(typeof(InspectionInput))]
[JsonSerializable(typeof(FollowUpInput))]
[JsonSerializable(typeof(ReplyInput))]
[JsonSerializable(typeof(RectificationDto))]
internal sealed partial class SupervisionJsonContext : JsonSerializerContext;
