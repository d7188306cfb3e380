using Baoxue.Components;
using Baoxue.Data;
using Baoxue.Features.Accounts;
using Baoxue.Features.Attendance;
using Baoxue.Features.Holidays;
using Baoxue.Features.Audit;
using Baoxue.Features.Casework;
using Baoxue.Features.Demo;
using Baoxue.Features.Home;
using Baoxue.Features.Ledger;
using Baoxue.Features.Rates;
using Baoxue.Features.Reconciliation;
using Baoxue.Features.Reporting;
using Baoxue.Features.Organisation;
using Baoxue.Features.Registry;
using Baoxue.Features.Registry.Import;
using Baoxue.Features.ServiceAccounts;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Attachments;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.OpenApi;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Time;

var builder = WebApplication.CreateBuilder(args);

builder.AddCountyClock();
builder.AddDatabase();
builder.AddAccounts();
builder.AddServiceAccounts();
builder.AddInterface();
builder.AddRegistry();
builder.AddHome();
builder.AddLedger();
builder.AddDemo();
builder.AddAttendance();
builder.AddHolidays();
builder.AddReconciliation();
builder.AddRates();
builder.AddAttachments();
builder.AddCasework();
builder.AddReporting();
builder.AddProblemResponses();
builder.AddSecurityHardening();
builder.AddApiDocument();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

var app = builder.Build();

await app.PrepareDatabaseAsync();
if (await CommandLine.TryRunAsync(app, args))
{
    return;
}

app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseEmptyQueryValuesAsAbsent();
app.UseExceptionHandling();
app.UseRequestLocalization();
app.UseCrossSiteGuard();
app.UseStaticFiles();
app.UseAuthentication();
app.UseProblemResponses();
app.UseAccountStillValid();
app.UseServiceAccounts();
app.UseAuthorization();
app.UseRateLimiter();
app.UseFirstPassword();
app.UseTwoFactorEnrolment();
app.UseFormPolicies();
app.UseAntiforgery();

app.MapHealthChecks("/health").AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapApiReference();
app.MapCultureSwitch();
app.MapAccountsApi();
app.MapServiceAccountsApi();
app.MapOrganisationApi();
app.MapAuditApi();
app.MapHomeApi();
app.MapRegistryApi();
app.MapStatusChangeApi();
app.MapRollCallApi();
AttendanceApi.Map(app);
Baoxue.Features.Holidays.HolidaysApi.Map(app);
app.MapAttachmentApi();
app.MapCaseworkApi();
app.MapReportingApi();
app.MapRegistryImport();
app.MapImportTemplates();
app.MapLedgerApi();
app.MapReconciliationApi();
app.MapRatesApi();
app.MapRazorComponents<App>();

await app.RunAsync();

/// <summary>Exposed for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
