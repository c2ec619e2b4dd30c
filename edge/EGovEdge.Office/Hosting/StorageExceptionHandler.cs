using EGovEdge.Office.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace EGovEdge.Office.Hosting;

/// <summary>
/// Storage failures answered plainly: a full disk is 507 ("nothing was stored; free space"), a database kept busy
/// too long is 503 ("try again"). The write's transaction has rolled back, so nothing half-done remains.
/// </summary>
public sealed partial class StorageExceptionHandler(IProblemDetailsService problems, IStringLocalizer<Text> text, ILogger<StorageExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (StorageErrors.Classify(exception) is not { } known) return false;
        LogStorage(exception, known.Status);
        httpContext.Response.StatusCode = known.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = known.Status, Title = text[known.MessageKey] },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage failure answered with {Status}")]
    private partial void LogStorage(Exception ex, int status);
}
