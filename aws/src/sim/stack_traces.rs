//! Exceptions and their stack traces, in each runtime's own style.

use super::catalogue::{FunctionSpec, Runtime};

/// One kind of failure a function can run into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// The exception's type as the runtime prints it.
    pub exception: &'static str,
    pub message: &'static str,
    /// The application frame that threw: (function or method, source line of code).
    pub thrower: (&'static str, &'static str),
}

const PYTHON_FAILURES: [Failure; 3] = [
    Failure {
        exception: "KeyError",
        message: "'dependants'",
        thrower: ("process_record", "dependants = body[\"dependants\"]"),
    },
    Failure {
        exception: "botocore.exceptions.ClientError",
        message: "An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed",
        thrower: (
            "save",
            "table.put_item(Item=item, ConditionExpression=\"attribute_not_exists(pk)\")",
        ),
    },
    Failure {
        exception: "decimal.InvalidOperation",
        message: "[<class 'decimal.ConversionSyntax'>]",
        thrower: ("parse_amount", "return Decimal(raw.replace(\",\", \"\"))"),
    },
];

const NODE_FAILURES: [Failure; 3] = [
    Failure {
        exception: "TypeError",
        message: "Cannot read properties of undefined (reading 'postcode')",
        thrower: ("normaliseAddress", ""),
    },
    Failure {
        exception: "Error",
        message: "connect ETIMEDOUT 10.0.3.41:443",
        thrower: ("callDownstream", ""),
    },
    Failure {
        exception: "ConditionalCheckFailedException",
        message: "The conditional request failed",
        thrower: ("saveState", ""),
    },
];

const JAVA_FAILURES: [Failure; 3] = [
    Failure {
        exception: "java.lang.IllegalStateException",
        message: "Connection pool shut down",
        thrower: ("send", ""),
    },
    Failure {
        exception: "java.lang.ArithmeticException",
        message: "Non-terminating decimal expansion; no exact representable decimal result.",
        thrower: ("apportion", ""),
    },
    Failure {
        exception: "software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException",
        message: "The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: 8QJ2M0R4T6V8X0Z2B4D6F8H0K2M4P6R8T0V2X4Z6B8D0F2H4K6)",
        thrower: ("persist", ""),
    },
];

/// `tax-calculate-refund`'s incident: returns without deductions.
pub const MISSING_DEDUCTION: Failure = Failure {
    exception: "java.lang.NullPointerException",
    message: "Cannot invoke \"java.math.BigDecimal.add(java.math.BigDecimal)\" because \"deduction\" is null",
    thrower: ("applyDeductions", ""),
};

/// The mainframe bridge losing its MQ connection.
pub const MQ_CONNECTION_BROKEN: Failure = Failure {
    exception: "com.ibm.msg.client.jms.DetailedJMSException",
    message: "JMSWMQ2007: Failed to send a message to destination 'TAX.RETURNS.IN'. reason '2009' ('MQRC_CONNECTION_BROKEN')",
    thrower: ("sendCopybook", ""),
};

/// The failures a runtime can produce; the first is the most common.
pub fn failures(runtime: Runtime) -> &'static [Failure; 3] {
    match runtime {
        Runtime::Python312 => &PYTHON_FAILURES,
        Runtime::Nodejs20 => &NODE_FAILURES,
        Runtime::Java21 => &JAVA_FAILURES,
    }
}

/// The multi-line stack trace, first line included, in the runtime's style:
/// Python `Traceback (most recent call last):`, Node `Error: ...\n    at ...`,
/// Java `java.lang.NullPointerException: ...\n\tat ...`.
pub fn stack_trace(function: &FunctionSpec, failure: &Failure) -> String {
    match function.runtime {
        Runtime::Python312 => python_traceback(function, failure),
        Runtime::Nodejs20 => node_stack(function, failure),
        Runtime::Java21 => java_stack(function, failure),
    }
}

/// `KeyError: 'dependants'` / `TypeError: ...` / `java.lang...: ...`.
pub fn headline(failure: &Failure) -> String {
    format!("{}: {}", failure.exception, failure.message)
}

fn python_traceback(function: &FunctionSpec, failure: &Failure) -> String {
    let file = function.source_file;
    let (thrower, code) = failure.thrower;
    format!(
        "Traceback (most recent call last):\n\
         \x20 File \"/var/task/aws_lambda_powertools/logging/logger.py\", line 449, in decorate\n\
         \x20   return lambda_handler(event, context, *args, **kwargs)\n\
         \x20 File \"/var/task/{file}\", line 57, in lambda_handler\n\
         \x20   result = process_batch(event[\"Records\"])\n\
         \x20 File \"/var/task/{file}\", line 88, in process_batch\n\
         \x20   outcome = {thrower}(record)\n\
         \x20 File \"/var/task/{file}\", line 131, in {thrower}\n\
         \x20   {code}\n\
         {}",
        headline(failure)
    )
}

fn node_stack(function: &FunctionSpec, failure: &Failure) -> String {
    let file = function.source_file;
    let (thrower, _) = failure.thrower;
    format!(
        "{}\n\
         \x20   at {thrower} (file:///var/task/{file}:142:38)\n\
         \x20   at processRecord (file:///var/task/{file}:97:11)\n\
         \x20   at async Promise.all (index 0)\n\
         \x20   at async Runtime.handler (file:///var/task/{file}:57:21)",
        headline(failure)
    )
}

fn java_stack(function: &FunctionSpec, failure: &Failure) -> String {
    let class = java_class(function);
    let (thrower, _) = failure.thrower;
    let file = function.source_file;
    format!(
        "{}\n\
         \tat {class}.{thrower}({file}:142)\n\
         \tat {class}.process({file}:87)\n\
         \tat {package}.Handler.handleRequest(Handler.java:54)\n\
         \tat {package}.Handler.handleRequest(Handler.java:21)\n\
         \tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)\n\
         \tat java.base/java.lang.reflect.Method.invoke(Unknown Source)",
        headline(failure),
        package = java_package(function),
    )
}

/// `eu.example.tax.calculaterefund` for `tax-calculate-refund`.
pub fn java_package(function: &FunctionSpec) -> String {
    let short: String = function
        .name
        .trim_start_matches("tax-")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("eu.example.tax.{short}")
}

/// `eu.example.tax.calculaterefund.RefundCalculator` for `RefundCalculator.java`.
pub fn java_class(function: &FunctionSpec) -> String {
    let simple = function
        .source_file
        .strip_suffix(".java")
        .unwrap_or(function.source_file);
    format!("{}.{simple}", java_package(function))
}

#[cfg(test)]
mod tests {
    use super::super::catalogue::FUNCTIONS;
    use super::*;

    fn function(name: &str) -> FunctionSpec {
        FUNCTIONS
            .iter()
            .copied()
            .find(|f| f.name == name)
            .unwrap_or(FUNCTIONS[0])
    }

    #[test]
    fn each_runtime_has_its_own_style() {
        let python = function("tax-validate-submission");
        let trace = stack_trace(&python, &failures(python.runtime)[0]);
        assert!(trace.starts_with("Traceback (most recent call last):\n  File \"/var/task/"));
        assert!(trace.ends_with("\nKeyError: 'dependants'"));

        let node = function("tax-submit-api");
        let trace = stack_trace(&node, &failures(node.runtime)[0]);
        assert!(trace.starts_with("TypeError: Cannot read properties of undefined"));
        assert!(trace.contains(
            "\n    at normaliseAddress (file:///var/task/src/handlers/submit.mjs:142:38)"
        ));

        let java = function("tax-calculate-refund");
        let trace = stack_trace(&java, &MISSING_DEDUCTION);
        assert!(trace.starts_with("java.lang.NullPointerException: Cannot invoke"));
        assert!(trace.contains(
            "\n\tat eu.example.tax.calculaterefund.RefundCalculator.applyDeductions(RefundCalculator.java:142)"
        ));
        assert!(trace.lines().count() >= 5);
    }
}
