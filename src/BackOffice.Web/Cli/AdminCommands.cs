using BackOffice.Application;
using BackOffice.Infrastructure;
using BackOffice.Infrastructure.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackOffice.Web.Cli;

/// <summary>
/// Operator commands that run instead of the web server:
/// <c>create-staff --email E --name N --role Clerk|Supervisor|Admin</c> (password from BACKOFFICE_STAFF_PASSWORD or stdin),
/// <c>migrate</c> (applies EF Core's migrations and seeds as the app does at start), and <c>audit-verify</c> (walks the
/// audit trail's hash chain; exit code 1 when it is broken). SQL for a DBA comes from <c>dotnet ef migrations script</c>.
/// </summary>
internal static class AdminCommands
{
    public const string PasswordVariable = "BACKOFFICE_STAFF_PASSWORD";

    public static async Task<bool> TryRunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("create-staff" or "migrate" or "audit-verify"))
        {
            return false;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args[1..],
            ContentRootPath = ContentRoot.Locate(args),
        });
        builder.AddLogging();
        builder.AddApplication();
        builder.AddInfrastructure();
        builder.AddWeb();
        // The same services as the web app, without its hosted services (start-up migration) and server.
        builder.Services.RemoveAll<IHostedService>();
        await using var app = builder.Build();

        Environment.ExitCode = args[0] switch
        {
            "create-staff" => await CreateStaffAsync(app.Services, args[1..]),
            "migrate" => await MigrateAsync(app.Services),
            _ => await VerifyAuditAsync(app.Services),
        };
        return true;
    }

    private static async Task<int> MigrateAsync(IServiceProvider services)
    {
        await services.InitializeDatabaseAsync();
        Console.WriteLine("Database is up to date.");
        return 0;
    }

    private static async Task<int> VerifyAuditAsync(IServiceProvider services)
    {
        var check = await services.GetRequiredService<BackOffice.Application.Audit.AuditChain>().VerifyAsync();
        await (check.Intact ? Console.Out : Console.Error).WriteLineAsync(check.Message);
        return check.Intact ? 0 : 1;
    }

    private static async Task<int> CreateStaffAsync(IServiceProvider services, string[] args)
    {
        var email = Option(args, "--email");
        var name = Option(args, "--name");
        var role = Option(args, "--role");
        if (email is null || name is null || role is null)
        {
            await Console.Error.WriteLineAsync(
                "Usage: create-staff --email <address> --name <display name> --role <Clerk|Supervisor|Admin>\n" +
                $"The password is read from {PasswordVariable}, or from the first line of standard input.");
            return 2;
        }
        var password = Environment.GetEnvironmentVariable(PasswordVariable) ?? await Console.In.ReadLineAsync();
        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync($"No password given: set {PasswordVariable} or pipe it on standard input.");
            return 2;
        }

        await services.InitializeDatabaseAsync();
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StaffAccountService>().CreateAsync(email, name, password, role, $"cli:{Environment.UserName}");
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync($"{error.Code}: {error.Description}");
            }
            return 1;
        }
        Console.WriteLine($"Created {role} account {email}.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
