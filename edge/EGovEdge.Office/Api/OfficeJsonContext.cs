using System.Text.Json;
using System.Text.Json.Serialization;
using EGovEdge.Office.Documents;

namespace EGovEdge.Office.Api;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DocumentDto))]
[JsonSerializable(typeof(DocumentInput))]
[JsonSerializable(typeof(DocumentUpdate))]
[JsonSerializable(typeof(DocumentPage))]
[JsonSerializable(typeof(EGovEdge.Office.Conflicts.ResolveRequest))]
[JsonSerializable(typeof(List<EGovEdge.Office.Conflicts.ConflictDto>))]
[JsonSerializable(typeof(EGovEdge.Office.Conflicts.ConflictDto))]
[JsonSerializable(typeof(EGovEdge.Office.Identity.TokenRequest))]
[JsonSerializable(typeof(EGovEdge.Office.Identity.TokenResponse))]
[JsonSerializable(typeof(EGovEdge.Office.Identity.PasswordChange))]
[JsonSerializable(typeof(EGovEdge.Office.Identity.UserInput))]
[JsonSerializable(typeof(EGovEdge.Office.Identity.UserDto))]
[JsonSerializable(typeof(List<EGovEdge.Office.Identity.UserDto>))]
public sealed partial class OfficeJsonContext : JsonSerializerContext;
