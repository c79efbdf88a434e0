using System.Net;
using Amazon.EC2;

namespace CutoverEngine.Sandbox.Tests.Ec2;

static class Ec2Assert
{
    /// <summary>Runs an SDK call that must fail, and checks the error code and HTTP status the SDK parsed.</summary>
    public static async Task<AmazonEC2Exception> FailsAsync(string code, HttpStatusCode status, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<AmazonEC2Exception>(call);
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(status, e.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.False(string.IsNullOrWhiteSpace(e.RequestId));
        return e;
    }
}
