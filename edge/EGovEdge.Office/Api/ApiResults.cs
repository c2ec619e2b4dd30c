using EGovEdge.Office.Documents;
using Microsoft.AspNetCore.Http;

namespace EGovEdge.Office.Api;

/// <summary>Turns the office modules' rule violations into problem details: 400 with field errors, 403 with the reason.</summary>
public static class ApiResults
{
    public static IResult Guard(Func<IResult> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (OfficeValidationException ex)
        {
            return Results.ValidationProblem(ex.Errors);
        }
        catch (OfficeForbiddenException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: ex.Message);
        }
    }
}
