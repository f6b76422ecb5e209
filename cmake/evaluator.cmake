# Sources of the evaluator phases (case files, lowering, evaluation,
# explanations, batches, policy tests), added to mrspc_core.
