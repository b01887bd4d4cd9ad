//! Lambda listing, configuration, event source mappings and asynchronous destinations
//! against moto, through the real
//! aws-sdk-lambda client: what the functions pane and the overview list before they ask
//! CloudWatch for numbers (moto serves no CloudWatch metrics in the CBOR protocol the SDK
//! speaks; that mapping is covered with aws-smithy-mocks in unstuck-aws).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod moto_support;

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{Architecture, FunctionCode, Runtime};
use moto_support::*;
use unstuck_aws::api::{Data, FunctionsData, FunctionsTopic, Topic, Unpaced};
use unstuck_aws::real::{ConnectOptions, connect};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_functions_are_listed_with_their_configuration_and_queue_sources() {
    let endpoint = moto_endpoint();
    let conf = seed_config(&endpoint).await;
    let lambda = aws_sdk_lambda::Client::new(&conf);
    let sqs = aws_sdk_sqs::Client::new(&conf);
    let name = format!("{}-refund", prefix().trim_matches('/').replace('/', "-"));
    let role = create_role(&endpoint, &format!("{name}-role")).await;
    lambda
        .create_function()
        .function_name(&name)
        .runtime(Runtime::Java21)
        .role(&role)
        .handler("tax.Refund::handle")
        .memory_size(1024)
        .timeout(15)
        .architectures(Architecture::Arm64)
        .code(
            FunctionCode::builder()
                .zip_file(Blob::new(EMPTY_ZIP))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let queue_url = sqs
        .create_queue()
        .queue_name(format!("{name}-jobs"))
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let queue_arn = sqs
        .get_queue_attributes()
        .queue_url(&queue_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
        .clone();
    lambda
        .create_event_source_mapping()
        .function_name(&name)
        .event_source_arn(&queue_arn)
        .batch_size(10)
        .send()
        .await
        .unwrap();

    let backends = connect(&ConnectOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.clone()),
    })
    .await
    .unwrap();
    let functions = backends.functions.list_functions().await.unwrap();
    let f = functions.iter().find(|f| f.name == name).expect("listed");
    assert_eq!(f.runtime, "java21");
    assert_eq!((f.memory_mb, f.timeout_s), (1024, 15));
    assert_eq!(f.architecture, "arm64");
    assert!(f.arn.ends_with(&format!(":function:{name}")), "{}", f.arn);
    assert!(f.last_modified_ms.is_some_and(|ms| ms > 1_700_000_000_000));
    assert_eq!(f.log_group(), format!("/aws/lambda/{name}"));

    let mappings = backends.functions.event_source_mappings().await.unwrap();
    let m = mappings
        .iter()
        .find(|m| m.function_name() == name)
        .expect("its mapping");
    assert_eq!(m.source_arn, queue_arn);
    assert!(m.is_queue());
    assert_eq!(m.batch_size, Some(10));

    // Its asynchronous destinations (where `o` goes after the queue that feeds it): none
    // configured.
    let none = backends.functions.destinations(&name).await.unwrap();
    assert_eq!((none.on_success, none.on_failure), (None, None));
    // (moto stores a config but answers it with a LastModified the SDK cannot read: how a
    // configured one is read is covered with aws-smithy-mocks in unstuck-aws.)
    // An unknown function is an error that names it, not an empty answer.
    let missing = backends
        .functions
        .destinations(&format!("{name}-gone"))
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("-gone"), "{missing}");

    // The state machines that invoke it (where `o` goes next): a Task naming the function
    // by ARN and version, found in the machine's definition.
    let sfn = aws_sdk_sfn::Client::new(&conf);
    let definition = serde_json::json!({
        "StartAt": "Refund",
        "States": {
            "Refund": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": { "FunctionName": format!("{}:$LATEST", f.arn), "Payload.$": "$" },
                "Next": "Done"
            },
            "Done": { "Type": "Succeed" }
        }
    });
    let machine_arn = sfn
        .create_state_machine()
        .name(format!("{name}-flow"))
        .definition(definition.to_string())
        .role_arn(&role)
        .send()
        .await
        .unwrap()
        .state_machine_arn;
    let topic = Topic::Functions(FunctionsTopic::Invokers {
        function: name.clone(),
    });
    let Ok(Data::Functions(FunctionsData::Invokers { machines, .. })) =
        topic.fetch(&backends, &Unpaced).await
    else {
        panic!("no invokers read");
    };
    let invoker = machines
        .iter()
        .find(|m| m.machine_arn == machine_arn)
        .unwrap_or_else(|| panic!("{machine_arn} not among {machines:?}"));
    assert_eq!(invoker.states, ["Refund"]);
    assert_eq!(invoker.machine_name, format!("{name}-flow"));

    // The cached list the functions pane and the overview read: functions and mappings
    // together, the account limit absent where moto has no GetAccountSettings.
    let list = backends
        .function_list
        .get(&backends, &Unpaced)
        .await
        .unwrap();
    assert!(list.functions.iter().any(|f| f.name == name));
    assert!(list.mappings.iter().any(|m| m.source_arn == queue_arn));
}
